// Who is signed in decides the screen: the login page, the forced password change, or the dashboard.

import { useEffect, useState } from 'react';
import { fetchMe, type Me } from './api/auth';
import { LoginPage } from './auth/LoginPage';
import { PasswordChangePage } from './auth/PasswordChangePage';
import { useI18n } from './i18n/i18n';
import { Layout } from './layout/Layout';

/** The dashboard application. */
export function App() {
  const { t } = useI18n();
  // undefined while the first /api/auth/me is on its way; null when nobody is signed in.
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    fetchMe().then(setMe, () => setMe(null));
  }, []);

  if (me === undefined) return <p className="page-loading">{t('page.loading')}</p>;
  if (me === null) return <LoginPage onSignedIn={setMe} />;
  if (me.mustChangePassword) return <PasswordChangePage onChanged={setMe} />;
  return <Layout me={me} onSignedOut={() => setMe(null)} />;
}
