/** The manuals' status bar: the ANAF token, the servers against the seats, the rate governor's use. */
import { useEffect, useState } from 'react';
import { getJson, getOptional, type Governor, type Health, type ServerInstance } from './api';
import { useInterval, type LiveMode } from './live';
import { useT } from './i18n';
import { fmtDate, fmtInt } from './format';

function TokenField({ health }: { health: Health | null }) {
  const { t, lang } = useT();
  const token = health?.token ?? null;
  const until = token?.validUntil ?? token?.expiresAt ?? null;
  if (!token || !until) return <span className="muted">{token?.state ?? t('token_none')}</span>;
  const days = Math.floor((Date.parse(until) - Date.now()) / 86_400_000);
  const cls = days < 0 ? 'bad' : days < 14 ? 'warn' : 'good';
  return <span className={`pill ${cls}`}>{days < 0 ? t('token_expired', { d: fmtDate(until, lang) }) : t('token_valid', { d: fmtDate(until, lang), n: days })}</span>;
}

export function StatusBar(props: { health: Health | null; mode: LiveMode; tick: number }) {
  const { t, lang } = useT();
  const { health, mode } = props;
  const [gov, setGov] = useState<Governor | null>(null);
  const [servers, setServers] = useState<ServerInstance[] | null>(null);
  const loadGov = () => {
    getJson<Governor>('/governor?limit=3')
      .then(setGov)
      .catch(() => undefined);
  };
  useInterval(loadGov, 5000);
  useEffect(loadGov, [props.tick]);
  useEffect(() => {
    // GET /servers arrives with the scale-out work; until then this instance is shown.
    getOptional<{ items: ServerInstance[] }>('/servers')
      .then((r) => setServers(r?.items ?? null))
      .catch(() => setServers(null));
  }, [props.tick]);
  const seats = health?.instance?.seats ?? 1;
  const use = gov ? gov.callsThisMinute / Math.max(1, gov.perMinuteLimit) : 0;
  return (
    <footer className="statusbar" aria-label={t('status_bar')}>
      <div>
        <span className="label">{t('token')}:</span> <TokenField health={health} />
      </div>
      <div>
        <span className="label">{t('servers')}:</span>{' '}
        {servers !== null ? (
          <span className={servers.filter((s) => s.live !== false).length > seats ? 'pill bad' : ''}>
            {t('servers_of', { n: servers.filter((s) => s.live !== false).length, seats })}
          </span>
        ) : health?.instance ? (
          <span>{t('this_server', { id: health.instance.serverId, host: health.instance.host, seats })}</span>
        ) : (
          '—'
        )}
      </div>
      <div>
        <span className="label">{t('governor')}:</span>{' '}
        {gov ? (
          <span className={use > 0.9 ? 'pill bad' : use > 0.7 ? 'pill warn' : ''} data-testid="governor">
            {fmtInt(gov.callsThisMinute, lang)} / {fmtInt(gov.perMinuteLimit, lang)}
          </span>
        ) : (
          '—'
        )}
        {gov && gov.quotas.length > 0 && (
          <span className="muted">
            {' '}
            · {t('quotas')}:{' '}
            {gov.quotas.map((q) => `${q.scope} ${q.used}/${q.limit}${q.pausedByPlatform ? ' ⏸' : ''}`).join(', ')}
          </span>
        )}
      </div>
      <div>
        <span className={`pill ${mode === 'live' ? 'good' : 'warn'}`} role="status">
          {mode === 'live' ? `● ${t('live')}` : mode === 'polling' ? t('polling') : t('loading')}
        </span>{' '}
        {health && <span className="muted">{t('version', { v: health.version })}</span>}
      </div>
    </footer>
  );
}
