// The signed-in frame: header (name, role, language, logout), navigation, and the current page.

import { useState } from 'react';
import { logout, type Me } from '../api/auth';
import { useI18n } from '../i18n/i18n';
import { ComingPage } from '../pages/ComingPage';
import { OverviewPage } from '../pages/OverviewPage';
import { pageAt } from '../pages/page-table';
import { usePath } from '../routing/router';
import { LanguageSwitch } from './LanguageSwitch';
import { NavBar } from './NavBar';

export function Layout({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  const { t } = useI18n();
  const path = usePath();
  const page = pageAt(path);
  const [leaving, setLeaving] = useState(false);

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
      <NavBar current={page?.id} />
      <main className="content">
        {page === undefined ? (
          <p>{t('page.notFound')}</p>
        ) : page.coming ? (
          <ComingPage key={page.id} page={page} onSignedOut={onSignedOut} />
        ) : (
          <OverviewPage onSignedOut={onSignedOut} />
        )}
      </main>
    </div>
  );
}
