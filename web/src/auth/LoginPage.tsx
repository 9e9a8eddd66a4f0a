// The sign-in form: username and password; a wrong pair or throttling shows an error in the chosen language.

import { type FormEvent, useState } from 'react';
import { login, type Me } from '../api/auth';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from '../layout/LanguageSwitch';

export function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setWorking(true);
    setError(null);
    try {
      onSignedIn(await login(username, password));
    } catch (caught) {
      setError(loginError(caught, t));
      setWorking(false);
    }
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="auth-top">
          <span className="brand">{t('app.name')}</span>
          <LanguageSwitch />
        </div>
        <p className="tagline">{t('app.tagline')}</p>
        <h1 id="login-title">{t('login.title')}</h1>
        <label>
          {t('login.username')}
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={working}>
          {working ? t('login.working') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}

function loginError(error: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (error instanceof ApiError && error.status === 401) return t('login.failed');
  if (error instanceof ApiError && error.status === 429) return t('login.throttled');
  return t('error.generic', { message: error instanceof Error ? error.message : String(error) });
}
