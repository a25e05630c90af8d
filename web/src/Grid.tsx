/** The manuals' document grid (server-sorted, filtered, keyset-paged) and the NOK grid beneath it. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { getJson, STATUSES, type Company, type GridPage, type Invoice, type Status } from './api';
import { statusLabel, useT, type Key } from './i18n';
import { fileName, fmtDate, fmtInt } from './format';

type Sort = 'created' | 'uploaded' | 'status' | 'series' | 'number' | 'branch' | 'user';

interface Filters {
  status: string;
  branch: string;
  user: string;
  series: string;
  number: string;
}

const EMPTY: Filters = { status: '', branch: '', user: '', series: '', number: '' };
const PAGE = 50;

interface Column {
  key: Key;
  sort?: Sort;
  cell(inv: Invoice, company: Company): string;
  className?: string;
}

export function StatusBadge({ status }: { status: Status }) {
  const { lang } = useT();
  return <span className={`badge st-${status}`}>{statusLabel(lang, status)}</span>;
}

export function InvoiceGrid(props: { company: Company; tick: number; onOpen(id: number): void }) {
  const { t, lang } = useT();
  const { company, tick, onOpen } = props;
  const [sort, setSort] = useState<Sort>('created');
  const [dir, setDir] = useState<'asc' | 'desc'>('desc');
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  // Cursors of the pages before the current one (keyset paging goes forward; back is a stack).
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<GridPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  const cursor = cursors[cursors.length - 1] ?? null;
  const load = useCallback(
    async (signal: AbortSignal) => {
      const q = new URLSearchParams({ company: company.cif, sort, dir, limit: String(PAGE) });
      for (const [k, v] of Object.entries(filters)) if (v.trim() !== '') q.set(k, v.trim());
      if (cursor !== null) q.set('cursor', cursor);
      try {
        setPage(await getJson<GridPage>(`/invoice-grid?${q.toString()}`, signal));
        setError(null);
      } catch (e) {
        if (!signal.aborted) setError(String((e as Error).message));
      }
    },
    [company.cif, sort, dir, filters, cursor],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load, tick]);
  useEffect(() => setCursors([null]), [company.cif, sort, dir, filters]);

  const columns: Column[] = [
    { key: 'col_created', sort: 'created', cell: (i) => fmtDate(i.createdAt, lang), className: 'nowrap' },
    { key: 'col_company', cell: (_i, c) => c.shortName },
    { key: 'col_computer', cell: (i) => i.origin.computer ?? '' },
    { key: 'col_user', sort: 'user', cell: (i) => i.origin.user ?? '' },
    { key: 'col_environment', cell: (i) => i.environment },
    { key: 'col_branch', sort: 'branch', cell: (i) => i.origin.branch ?? '' },
    { key: 'col_file', cell: (i) => fileName(i.origin.sourcePath) || `(${i.origin.channel})` },
    { key: 'col_number', sort: 'number', cell: (i) => i.number },
    { key: 'col_series', sort: 'series', cell: (i) => i.series },
    { key: 'col_status', sort: 'status', cell: () => '' },
    { key: 'col_uploaded', sort: 'uploaded', cell: (i) => fmtDate(i.uploadedAt, lang), className: 'nowrap' },
    { key: 'col_upload_id', cell: (i) => i.uploadId ?? '' },
    { key: 'col_download_id', cell: (i) => i.downloadId ?? '' },
    { key: 'col_message', cell: (i) => i.messages[0]?.text ?? i.lastError ?? '', className: 'message' },
  ];

  const clickSort = (s: Sort) => {
    if (s === sort) setDir(dir === 'asc' ? 'desc' : 'asc');
    else {
      setSort(s);
      setDir(s === 'created' || s === 'uploaded' ? 'desc' : 'asc');
    }
  };
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...draft });
  };
  const from = (cursors.length - 1) * PAGE + 1;
  const shown = page?.items.length ?? 0;
  const total = page?.total ? `${fmtInt(page.total.count, lang)}${page.total.capped ? '+' : ''}` : '?';

  return (
    <section aria-labelledby="grid-title" className="panel">
      <h2 id="grid-title">{t('grid')}</h2>
      <form className="filters" onSubmit={apply} aria-label={t('apply')}>
        <label>
          {t('filter_status')}
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })} name="status">
            <option value="">{t('filter_all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(lang, s)}
              </option>
            ))}
          </select>
        </label>
        {(['branch', 'user', 'series', 'number'] as const).map((f) => (
          <label key={f}>
            {t(`filter_${f}`)}
            <input name={f} value={draft[f]} maxLength={200} onChange={(e) => setDraft({ ...draft, [f]: e.target.value })} />
          </label>
        ))}
        <button type="submit">{t('apply')}</button>
        <button
          type="button"
          onClick={() => {
            setDraft(EMPTY);
            setFilters(EMPTY);
          }}
        >
          {t('clear')}
        </button>
      </form>
      {error && <p role="alert" className="error">{t('error', { m: error })}</p>}
      <div className="table-wrap">
        <table className="grid" aria-describedby="grid-range">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" aria-sort={c.sort === sort ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {c.sort ? (
                    <button type="button" className="sort" onClick={() => clickSort(c.sort!)} aria-label={t('sort_by', { c: t(c.key) })}>
                      {t(c.key)}
                      <span aria-hidden="true">{c.sort === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  ) : (
                    t(c.key)
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page?.items.map((inv) => (
              <tr key={inv.id} className={`row-${inv.status}`} data-invoice={inv.id}>
                {columns.map((c, i) =>
                  c.key === 'col_status' ? (
                    <td key={c.key}>
                      <StatusBadge status={inv.status} />
                    </td>
                  ) : i === 0 ? (
                    <td key={c.key} className={c.className}>
                      <button type="button" className="link" onClick={() => onOpen(inv.id)} aria-label={t('open', { n: `${inv.series}${inv.number}` })}>
                        {c.cell(inv, company)}
                      </button>
                    </td>
                  ) : (
                    <td key={c.key} className={c.className} title={c.key === 'col_message' ? c.cell(inv, company) : undefined}>
                      {c.cell(inv, company)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('prev')}
        </button>
        <span id="grid-range" aria-live="polite">
          {page === null ? t('loading') : shown === 0 ? t('rows_none') : t('rows', { from: fmtInt(from, lang), to: fmtInt(from + shown - 1, lang), total })}
        </span>
        <button type="button" disabled={!page?.next} onClick={() => page?.next && setCursors([...cursors, page.next])}>
          {t('next')}
        </button>
      </div>
    </section>
  );
}

export function NokGrid(props: { company: Company; tick: number; onOpen(id: number): void }) {
  const { t } = useT();
  const { company, tick, onOpen } = props;
  const [items, setItems] = useState<Invoice[] | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    // ANAF's NOKs and the invoices the local checks stopped before upload (`invalid`), side by side.
    const q = new URLSearchParams({ company: company.cif, status: 'nok,invalid', sort: 'created', dir: 'desc', limit: '100', count: 'false' });
    getJson<GridPage>(`/invoice-grid?${q.toString()}`, ctrl.signal)
      .then((p) => setItems(p.items))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [company.cif, tick]);
  return (
    <section aria-labelledby="nok-title" className="panel nok">
      <h2 id="nok-title">{t('nok_grid')}</h2>
      {items !== null && items.length === 0 ? (
        <p>{t('nok_none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                {(['col_branch', 'col_user', 'col_environment', 'col_series', 'col_number', 'col_message'] as const).map((k) => (
                  <th key={k} scope="col">
                    {t(k)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items?.map((inv) => (
                <tr key={inv.id} data-nok={inv.id}>
                  <td>{inv.origin.branch ?? ''}</td>
                  <td>{inv.origin.user ?? ''}</td>
                  <td>{inv.environment}</td>
                  <td>{inv.series}</td>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(inv.id)} aria-label={t('open', { n: `${inv.series}${inv.number}` })}>
                      {inv.number}
                    </button>
                  </td>
                  <td className="full-message">
                    {inv.messages.map((m, i) => (
                      <div key={i}>
                        {m.ruleId ? `${m.ruleId}${m.line ? ` (${t('line')} ${m.line})` : ''}: ` : ''}
                        {m.text}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
