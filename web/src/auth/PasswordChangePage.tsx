// The forced password change after signing in with a one-time password: nothing else opens before it.

import { type FormEvent, useState } from 'react';
import { changePassword, type Me } from '../api/auth';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from '../layout/LanguageSwitch';

export function PasswordChangePage({ onChanged }: { onChanged: (me: Me) => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) {
      setError(t('password.mismatch'));
      return;
    }
    setWorking(true);
    setError(null);
    try {
      onChanged(await changePassword(current, next));
    } catch (caught) {
      // The server's message names the rule broken (length, same as before, wrong current password).
      setError(t('error.generic', { message: caught instanceof Error ? caught.message : String(caught) }));
      setWorking(false);
    }
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="password-title">
        <div className="auth-top">
          <span className="brand">{t('app.name')}</span>
          <LanguageSwitch />
        </div>
        <h1 id="password-title">{t('password.title')}</h1>
        <p className="explain">{t('password.explain')}</p>
        <label>
          {t('password.current')}
          <input
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(event) => setCurrent(event.target.value)}
          />
        </label>
        <label>
          {t('password.new')}
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={next}
            onChange={(event) => setNext(event.target.value)}
          />
        </label>
        <label>
          {t('password.repeat')}
          <input
            name="repeatPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={repeat}
            onChange={(event) => setRepeat(event.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={working}>
          {t('password.submit')}
        </button>
      </form>
    </main>
  );
}
