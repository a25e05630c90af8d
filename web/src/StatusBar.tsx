/** The manuals' status bar: the ANAF token, the servers against the seats, the rate governor's use. */
import { useEffect, useState } from 'react';
import { ApiError, getJson, type Governor, type Health, type ServerInstance, type TokenProfile } from './api';
import { useInterval, type LiveMode } from './live';
import { useT, type T } from './i18n';
import { fmtDate, fmtInt, fmtTime } from './format';
import type { Lang } from './i18n';

/** A value loaded from the API, or why it is not shown: 'denied' for a 403 (a key limited to some companies). */
type Loaded<V> = { value: V } | { denied: true } | null;

// Polled on a timer, not on every live change: the API slows down a caller repeating the same GET
// more than 60 times a minute (http.repeatLimit), and a busy feed changes more often than that.
function useLoaded<V>(path: string | null, everyMs: number): Loaded<V> {
  const [state, setState] = useState<Loaded<V>>(null);
  const load = () => {
    if (path === null) return;
    getJson<V>(path)
      .then((value) => setState({ value }))
      .catch((e: unknown) => setState((old) => (e instanceof ApiError && e.status === 403 ? { denied: true } : old)));
  };
  useEffect(() => setState(null), [path]);
  useEffect(load, [path]);
  useInterval(load, everyMs, path !== null);
  return state;
}

const TOKEN_CLASS: Record<TokenProfile['state'], string> = { ok: 'good', warning: 'warn', expired: 'bad', 'login-needed': 'bad' };

function tokenText(p: TokenProfile, t: T, lang: Lang): string {
  if (p.state === 'login-needed' || !p.hasTokens) return t('token_login', { p: p.name });
  if (p.state === 'expired') return t('token_expired', { p: p.name, d: fmtDate(p.refreshExpiresAt ?? p.accessExpiresAt, lang) });
  const parts = [t('token_valid', { p: p.name, d: fmtDate(p.accessExpiresAt, lang), n: p.accessDaysLeft ?? '?' })];
  if (p.refreshExpiresAt !== null) parts.push(t('token_refresh', { d: fmtDate(p.refreshExpiresAt, lang), n: p.refreshDaysLeft ?? '?' }));
  return parts.join(' · ');
}

function TokenField({ cif }: { cif: string | null }) {
  const { t, lang } = useT();
  const status = useLoaded<{ profiles: TokenProfile[] }>(cif === null ? null : `/auth/status?company=${encodeURIComponent(cif)}`, 60_000);
  if (status === null) return <span>—</span>;
  if ('denied' in status) return <span className="muted">{t('not_for_key')}</span>;
  const profiles = status.value.profiles;
  if (profiles.length === 0) return <span className="muted">{t('token_fixed')}</span>;
  return (
    <>
      {profiles.map((p) => (
        <span key={p.name} className={`pill ${TOKEN_CLASS[p.state]}`} title={p.message ?? p.lastError ?? ''} data-testid="token">
          {tokenText(p, t, lang)}
        </span>
      ))}
    </>
  );
}

function ServersField({ health, enabled }: { health: Health | null; enabled: boolean }) {
  const { t, lang } = useT();
  const servers = useLoaded<{ items: ServerInstance[] }>(enabled ? '/servers' : null, 15_000);
  const seats = health?.instance?.seats ?? null;
  if (servers === null || ('value' in servers && servers.value.items.length === 0)) {
    return health?.instance ? <span>{t('this_server', { id: health.instance.serverId, host: health.instance.host, seats: health.instance.seats })}</span> : <span>—</span>;
  }
  if ('denied' in servers) return <span className="muted" data-testid="servers">{t('not_for_key')}</span>;
  const shown = servers.value.items.filter((s) => s.state !== 'stopped');
  const live = shown.filter((s) => s.state === 'live').length;
  return (
    <span data-testid="servers">
      <span className={seats !== null && live > seats ? 'pill bad' : 'pill good'}>
        {seats === null ? t('servers_live', { n: live }) : t(seats === 1 ? 'servers_of_1' : 'servers_of', { n: live, seats })}
      </span>
      {shown.map((s) => (
        <span key={`${s.serverId}-${s.startedAt}`} className={`instance ${s.state}`} title={t('server_title', { pid: s.pid, since: fmtDate(s.startedAt, lang), claimed: s.claimed, uploaded: s.uploaded })}>
          #{s.serverId} {s.host}
          {s.current ? ` (${t('server_this')})` : ''} · {s.filter === null ? t('server_no_filter') : s.filter} · {t('server_heartbeat', { t: fmtTime(s.heartbeatAt, lang, true) })} ·{' '}
          <strong>{t(s.state === 'live' ? 'server_live' : 'server_expired')}</strong>
        </span>
      ))}
    </span>
  );
}

export function StatusBar(props: { health: Health | null; mode: LiveMode; cif: string | null; signedIn: boolean }) {
  const { t, lang } = useT();
  const { health, mode, signedIn } = props;
  const gov = useLoaded<Governor>(signedIn ? '/governor?limit=3' : null, 5000);
  const g = gov !== null && 'value' in gov ? gov.value : null;
  const use = g ? g.callsThisMinute / Math.max(1, g.perMinuteLimit) : 0;
  if (!signedIn) {
    return (
      <footer className="statusbar" aria-label={t('status_bar')}>
        <div className="muted">{t('signed_out')}</div>
        {health && <div className="muted">{t('version', { v: health.version })}</div>}
      </footer>
    );
  }
  return (
    <footer className="statusbar" aria-label={t('status_bar')}>
      <div>
        <span className="label">{t('token')}:</span> <TokenField cif={signedIn ? props.cif : null} />
      </div>
      <div>
        <span className="label">{t('servers')}:</span> <ServersField health={health} enabled={signedIn} />
      </div>
      <div>
        <span className="label">{t('governor')}:</span>{' '}
        {g ? (
          <span className={use > 0.9 ? 'pill bad' : use > 0.7 ? 'pill warn' : ''} data-testid="governor">
            {fmtInt(g.callsThisMinute, lang)} / {fmtInt(g.perMinuteLimit, lang)}
          </span>
        ) : gov !== null ? (
          <span className="muted">{t('not_for_key')}</span>
        ) : (
          '—'
        )}
        {g && g.quotas.length > 0 && (
          <span className="muted">
            {' '}
            · {t('quotas')}: {g.quotas.map((q) => `${q.scope} ${q.used}/${q.limit}${q.pausedByPlatform ? ' ⏸' : ''}`).join(', ')}
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
