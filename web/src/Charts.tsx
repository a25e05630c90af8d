/** The two charts, as plain SVG: invoices per day by status, platform calls per minute against the limit. */
import { useEffect, useState } from 'react';
import { ApiError, getJson, STATUSES, type Status } from './api';
import { statusLabel, useT } from './i18n';
import { fmtTime } from './format';

export const STATUS_COLOURS: Record<Status, string> = {
  queued: '#8a8f98',
  uploading: '#5b8def',
  processing: '#2f6fd6',
  ok: '#3aa76d',
  nok: '#d64545',
  downloaded: '#1f7a4a',
  invalid: '#b0562c',
  'needs-attention': '#c98a00',
  superseded: '#c0c4cc',
};

const W = 520;
const H = 160;
const PAD = 28;

function PerDay(props: { cif: string; tick: number }) {
  const { t, lang } = useT();
  const [rows, setRows] = useState<Array<{ day: string; status: Status; count: number }>>([]);
  useEffect(() => {
    getJson<{ days: typeof rows }>(`/stats/invoices-per-day?company=${props.cif}&days=14`)
      .then((r) => setRows(r.days))
      .catch(() => undefined);
  }, [props.cif, props.tick]);
  const days: string[] = [];
  const today = new Date();
  for (let i = 13; i >= 0; i--) days.push(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i)).toISOString().slice(0, 10));
  const byDay = new Map<string, Map<Status, number>>();
  for (const r of rows) {
    const m = byDay.get(r.day) ?? new Map<Status, number>();
    m.set(r.status, r.count);
    byDay.set(r.day, m);
  }
  const max = Math.max(1, ...days.map((d) => [...(byDay.get(d)?.values() ?? [])].reduce((a, b) => a + b, 0)));
  const bw = (W - PAD) / days.length;
  const present = STATUSES.filter((s) => rows.some((r) => r.status === s));
  return (
    <figure className="chart">
      <figcaption>{t('chart_days')}</figcaption>
      <svg viewBox={`0 0 ${W} ${H + 18}`} role="img" aria-label={t('chart_days')}>
        <text x={0} y={10} className="axis">
          {max}
        </text>
        <line x1={PAD} y1={H} x2={W} y2={H} className="axis-line" />
        {days.map((d, i) => {
          let y = H;
          const counts = byDay.get(d);
          return (
            <g key={d}>
              {STATUSES.map((s) => {
                const n = counts?.get(s) ?? 0;
                if (n === 0) return null;
                const h = (n / max) * (H - 10);
                y -= h;
                return (
                  <rect key={s} x={PAD + i * bw + 2} y={y} width={bw - 4} height={h} fill={STATUS_COLOURS[s]}>
                    <title>{`${d} ${statusLabel(lang, s)}: ${n}`}</title>
                  </rect>
                );
              })}
              {i % 2 === 1 && (
                <text x={PAD + i * bw + bw / 2} y={H + 14} className="axis" textAnchor="middle">
                  {d.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="legend">
        {present.map((s) => (
          <li key={s}>
            <span className="swatch" style={{ background: STATUS_COLOURS[s] }} />
            {statusLabel(lang, s)}
          </li>
        ))}
      </ul>
    </figure>
  );
}

function PerMinute(props: { tick: number }) {
  const { t, lang } = useT();
  const [data, setData] = useState<{ minutes: Array<{ minute: string; count: number }>; perMinuteLimit: number | null } | null>(null);
  // Platform calls are counted for all companies together: a key limited to some is refused (403).
  const [denied, setDenied] = useState(false);
  useEffect(() => {
    getJson<NonNullable<typeof data>>('/stats/calls-per-minute?minutes=60')
      .then((d) => {
        setData(d);
        setDenied(false);
      })
      .catch((e: unknown) => e instanceof ApiError && e.status === 403 && setDenied(true));
  }, [props.tick]);
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const slots = Array.from({ length: 60 }, (_, i) => now - (59 - i) * 60_000);
  const counts = new Map((data?.minutes ?? []).map((m) => [Date.parse(m.minute), m.count]));
  const limit = data?.perMinuteLimit ?? null;
  const peak = Math.max(1, ...counts.values());
  // Scale to the traffic, and show the limit line only when it is within sight of it.
  const max = limit !== null && peak > limit / 4 ? Math.max(limit * 1.1, peak) : peak * 1.2;
  const bw = (W - PAD) / slots.length;
  const ly = limit === null ? null : H - (limit / max) * (H - 10);
  return (
    <figure className="chart">
      <figcaption>
        {t('chart_minutes')}
        {limit !== null && <span className="muted"> — {t('limit', { n: limit })}</span>}
        {denied && <span className="muted"> — {t('not_for_key')}</span>}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H + 18}`} role="img" aria-label={t('chart_minutes')}>
        <text x={0} y={10} className="axis">
          {Math.round(max)}
        </text>
        <line x1={PAD} y1={H} x2={W} y2={H} className="axis-line" />
        {slots.map((m, i) => {
          const n = counts.get(m) ?? 0;
          const h = (n / max) * (H - 10);
          return (
            <rect key={m} x={PAD + i * bw + 0.5} y={H - h} width={Math.max(1, bw - 1)} height={h} fill="#2f6fd6">
              <title>{`${fmtTime(new Date(m).toISOString(), lang)}: ${n}`}</title>
            </rect>
          );
        })}
        {ly !== null && ly >= 0 && <line x1={PAD} y1={ly} x2={W} y2={ly} className="limit-line" />}
        {[0, 30, 59].map((i) => (
          <text key={i} x={PAD + i * bw + (i === 59 ? bw : 0)} y={H + 14} className="axis" textAnchor={i === 59 ? 'end' : i === 0 ? 'start' : 'middle'}>
            {fmtTime(new Date(slots[i]!).toISOString(), lang)}
          </text>
        ))}
      </svg>
    </figure>
  );
}

export function Charts(props: { cif: string; tick: number }) {
  const { t } = useT();
  return (
    <section aria-labelledby="charts-title" className="panel charts">
      <h2 id="charts-title">{t('charts')}</h2>
      <div className="chart-row">
        <PerDay cif={props.cif} tick={props.tick} />
        <PerMinute tick={props.tick} />
      </div>
    </section>
  );
}
