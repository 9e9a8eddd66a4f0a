// The signed-in frame: header (name, role, language, logout), navigation, and the current page. Pages load
// on demand (their code and ECharts stay out of the first load); each navigation checks the session.

import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { fetchMe, logout, type Me } from '../api/auth';
import { useI18n } from '../i18n/i18n';
import { type PageMatch, pageAt } from '../pages/page-table';
import { usePath } from '../routing/router';
import { LanguageSwitch } from './LanguageSwitch';
import { NavBar } from './NavBar';

const OverviewPage = lazy(() => import('../pages/OverviewPage').then((m) => ({ default: m.OverviewPage })));
const AtRiskPage = lazy(() => import('../pages/AtRiskPage').then((m) => ({ default: m.AtRiskPage })));
const AlertsPage = lazy(() => import('../pages/AlertsPage').then((m) => ({ default: m.AlertsPage })));
const CustomerPage = lazy(() => import('../pages/CustomerPage').then((m) => ({ default: m.CustomerPage })));
const StrategiesPage = lazy(() =>
  import('../pages/StrategiesPage').then((m) => ({ default: m.StrategiesPage })),
);
const CampaignsPage = lazy(() =>
  import('../pages/CampaignsPage').then((m) => ({ default: m.CampaignsPage })),
);
const CampaignPage = lazy(() => import('../pages/CampaignPage').then((m) => ({ default: m.CampaignPage })));
const ModelPage = lazy(() => import('../pages/ModelPage').then((m) => ({ default: m.ModelPage })));
const DataPage = lazy(() => import('../pages/DataPage').then((m) => ({ default: m.DataPage })));

export function Layout({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  const { t } = useI18n();
  const path = usePath();
  const match = pageAt(path);
  const [leaving, setLeaving] = useState(false);

  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;

  // A session that expired (or was ended elsewhere) shows the login page at the next navigation.
  useEffect(() => {
    let live = true;
    fetchMe().then(
      (current) => {
        if (live && current === null && path !== '') signedOut.current();
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [path]);

  const signOut = async () => {
    setLeaving(true);
    try {
      await logout();
    } finally {
      onSignedOut();
    }
  };

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <div className="who">
          <span className="user-name">{t('header.signedInAs', { name: me.name })}</span>
          <span className="role-badge" data-role={me.role} title={t('header.role')}>
            {t(`role.${me.role}`)}
          </span>
        </div>
        <LanguageSwitch />
        <button type="button" className="logout" onClick={signOut} disabled={leaving}>
          {t('header.logout')}
        </button>
      </header>
      <NavBar current={match?.page.id} />
      <main className="content">
        <Suspense fallback={<p className="muted">{t('page.loading')}</p>}>
          <CurrentPage match={match} me={me} />
        </Suspense>
      </main>
    </div>
  );
}

function CurrentPage({ match, me }: { match: PageMatch | undefined; me: Me }) {
  const { t } = useI18n();
  switch (match?.page.id) {
    case 'overview':
      return <OverviewPage />;
    case 'atRisk':
      return <AtRiskPage />;
    case 'alerts':
      return <AlertsPage me={me} />;
    case 'customers':
      return <CustomerPage customerId={match.customerId} />;
    case 'strategies':
      return <StrategiesPage me={me} />;
    case 'campaigns':
      return match.campaignId === undefined ? (
        <CampaignsPage me={me} />
      ) : (
        <CampaignPage campaignId={match.campaignId} me={me} />
      );
    case 'model':
      return <ModelPage />;
    case 'data':
      return <DataPage />;
    default:
      return <p>{t('page.notFound')}</p>;
  }
}
