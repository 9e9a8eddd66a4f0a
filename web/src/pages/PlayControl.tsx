// "Play the following months" (data:ingest, demo workspaces only): starts the play job, shows its stage and
// progress until it is done, then tells the page to load the results again. Outside a demo the server
// answers 409 not_a_demo, shown as a plain sentence.

import { type FormEvent, useEffect, useState } from 'react';
import { fetchJob, startPlay } from '../api/campaign-actions';
import { ApiError } from '../api/client';
import type { Job } from '../api/retention-types';
import { useI18n } from '../i18n/i18n';
import { ProgressBar } from './ProgressBar';

const POLL_MS = 500;

export function PlayControl({ onPlayed }: { onPlayed: () => void }) {
  const { t, label, formatNumber } = useI18n();
  const [months, setMonths] = useState('2');
  const [job, setJob] = useState<Job | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const running = job !== null && (job.status === 'queued' || job.status === 'running');

  // Follows the job while it runs; a finished job reloads the results once.
  useEffect(() => {
    if (!job || !running) return;
    let live = true;
    const timer = setTimeout(() => {
      fetchJob(job.id).then(
        (next) => {
          if (!live) return;
          setJob(next);
          if (next.status === 'done') onPlayed();
          if (next.status === 'failed') setFailure(t('play.failed', { message: next.error ?? '' }));
        },
        (error: unknown) => live && setFailure(t('error.generic', { message: String(error) })),
      );
    }, POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [job, running, onPlayed, t]);

  const stageName = (stage: string) =>
    stage.startsWith('ingest ')
      ? t('play.ingest', { source: label('source', stage.slice('ingest '.length)) })
      : label('playStage', stage);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      setJob(await startPlay(Number(months)));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_a_demo') setFailure(t('play.notADemo'));
      else
        setFailure(t('error.generic', { message: error instanceof Error ? error.message : String(error) }));
    }
  };

  return (
    <form className="play" data-panel="play" onSubmit={start}>
      <p className="muted">{t('play.explain')}</p>
      <div className="filters">
        <label>
          {t('play.months')}
          <input
            name="months"
            type="number"
            min={1}
            max={12}
            step={1}
            value={months}
            disabled={running}
            onChange={(event) => setMonths(event.target.value)}
          />
        </label>
        <button type="submit" className="primary" data-action="play" disabled={running}>
          {t('play.start')}
        </button>
      </div>
      {job && running && (
        <div data-status="play-running">
          <ProgressBar
            name="play"
            title={stageName(job.progress.stage)}
            share={job.progress.total > 0 ? job.progress.done / job.progress.total : 0}
            note={
              job.progress.total > 0
                ? t('play.doneOfTotal', {
                    done: formatNumber(job.progress.done),
                    total: formatNumber(job.progress.total),
                  })
                : undefined
            }
          />
        </div>
      )}
      {job?.status === 'done' && <p data-status="play-done">{t('play.done')}</p>}
      {failure && (
        <p className="form-error" role="alert" data-status="play-error">
          {failure}
        </p>
      )}
    </form>
  );
}
