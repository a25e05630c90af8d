/**
 * Invoices waiting for a person (needs-attention), each with its reason. For one ANAF never
 * confirmed (no upload id), an operator decides after checking SPV: send it again, or record the
 * upload id found there. One ANAF has (an upload id is known) is never offered a resend: it would
 * be filed twice; its answer is fetched from SPV.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { getJson, postJson, type Company, type GridPage, type Invoice } from './api';
import { ConfirmDialog } from './Confirm';
import { useT, type T } from './i18n';

interface Props {
  company: Company;
  tick: number;
  /** False for a viewer key: the decisions are not offered at all. */
  canAct: boolean;
  act(what: () => Promise<unknown>): Promise<void>;
  onNotice(text: (t: T) => string): void;
  onOpen(id: number): void;
}

/** The grid's largest page; more waiting invoices than this are counted as "200+". */
const LIMIT = 200;

const label = (inv: Invoice): string => `${inv.series}${inv.number}`;

/** ANAF's or the engine's messages, and the last error when it says something they do not. */
function reasons(inv: Invoice): string[] {
  const texts = inv.messages.map((m) => m.text);
  return inv.lastError && !texts.includes(inv.lastError) ? [...texts, inv.lastError] : texts;
}

export function AttentionGrid(props: Props) {
  const { t } = useT();
  const { company, tick, canAct, act, onNotice, onOpen } = props;
  // Kept with the company it belongs to: another company's list is never shown while this one loads.
  const [loaded, setLoaded] = useState<{ cif: string; page: GridPage } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const ctrl = new AbortController();
    const q = new URLSearchParams({ company: company.cif, status: 'needs-attention', sort: 'created', dir: 'desc', limit: String(LIMIT), count: 'false' });
    getJson<GridPage>(`/invoice-grid?${q.toString()}`, ctrl.signal)
      .then((page) => setLoaded({ cif: company.cif, page }))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [company.cif, tick]);
  const page = loaded?.cif === company.cif ? loaded.page : null;
  if (page === null || page.items.length === 0) return null;

  // A decided invoice leaves the list at once (the next refresh would drop it anyway): it cannot be decided twice.
  const decided = (id: number) => setLoaded((l) => (l === null ? l : { ...l, page: { ...l.page, items: l.page.items.filter((i) => i.id !== id) } }));
  // What POST /companies/{cif}/resend-unconfirmed takes: the company's current environment only.
  const unconfirmed = page.items.filter((i) => i.uploadId === null && i.environment === company.environment).length;
  const n = `${unconfirmed}${page.next ? '+' : ''}`;

  const resendAll = () =>
    void act(async () => {
      setBusy(true);
      try {
        const r = await postJson<{ resent: number }>(`/companies/${company.cif}/resend-unconfirmed`, { confirm: true });
        onNotice((tr) => tr('resend_all_done', { n: r.resent }));
        setConfirming(false);
      } finally {
        setBusy(false);
      }
    });

  return (
    <section aria-labelledby="attention-title" className="panel attention">
      <div className="panel-head">
        <h2 id="attention-title">{t('attention_grid')}</h2>
        {canAct && unconfirmed > 0 && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('resend_all', { n })}
          </button>
        )}
      </div>
      <div className="table-wrap">
        <table className="grid">
          <thead>
            <tr>
              {(['col_branch', 'col_user', 'col_environment', 'col_series', 'col_number', 'col_reason', 'col_decision'] as const).map((k) => (
                <th key={k} scope="col">
                  {t(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.items.map((inv) => (
              <tr key={inv.id} data-attention={inv.id}>
                <td>{inv.origin.branch ?? ''}</td>
                <td>{inv.origin.user ?? ''}</td>
                <td>{inv.environment}</td>
                <td>{inv.series}</td>
                <td>
                  <button type="button" className="link" onClick={() => onOpen(inv.id)} aria-label={t('open', { n: label(inv) })}>
                    {inv.number}
                  </button>
                </td>
                <td className="full-message" data-testid="reason">
                  {reasons(inv).map((text, i) => (
                    <div key={i}>{text}</div>
                  ))}
                </td>
                <td className="decision">
                  {inv.uploadId !== null ? (
                    <span data-testid="at-anaf">{t('attention_at_anaf', { id: inv.uploadId })}</span>
                  ) : canAct ? (
                    <Decide invoice={inv} act={act} onNotice={onNotice} onDecided={decided} />
                  ) : (
                    <span className="muted">{t('attention_viewer')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirming && (
        <ConfirmDialog
          id="resend-all"
          title={t('resend_all_title')}
          text={t('resend_all_text', {
            n,
            company: `${company.shortName} (CIF ${company.cif})`,
            env: t(company.environment === 'test' ? 'env_test' : 'env_prod'),
          })}
          confirmLabel={t('resend_all_confirm')}
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={resendAll}
        />
      )}
    </section>
  );
}

/** The two decisions on one unconfirmed invoice. */
function Decide(props: { invoice: Invoice; act: Props['act']; onNotice: Props['onNotice']; onDecided(id: number): void }) {
  const { t } = useT();
  const { invoice: inv, act, onNotice, onDecided } = props;
  const [recording, setRecording] = useState(false);
  const [uploadId, setUploadId] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = (call: () => Promise<unknown>, done: (t: T) => string) =>
    void act(async () => {
      setBusy(true);
      try {
        await call();
      } finally {
        setBusy(false);
      }
      onNotice(done);
      onDecided(inv.id);
    });
  const resend = () => decide(() => postJson(`/invoices/${inv.id}/resend`), (tr) => tr('resent_one', { n: label(inv) }));
  const record = (e: FormEvent) => {
    e.preventDefault();
    const id = uploadId.trim();
    if (id === '') return;
    // The server checks the id (digits only) and says what is wrong; the page shows its message.
    decide(() => postJson(`/invoices/${inv.id}/upload-id`, { uploadId: id }), (tr) => tr('upload_id_recorded', { id, n: label(inv) }));
  };
  return (
    <div className="decide">
      <span className="muted">{t('attention_unconfirmed')}</span>
      <div className="decide-actions">
        <button type="button" className="primary" disabled={busy} onClick={resend}>
          {t('resend')}
        </button>
        {!recording && (
          <button type="button" disabled={busy} onClick={() => setRecording(true)}>
            {t('record_upload_id')}
          </button>
        )}
      </div>
      {recording && (
        <form className="decide-actions" onSubmit={record} aria-label={t('record_upload_id')}>
          <label>
            {t('upload_id_found')}
            <input name="uploadId" inputMode="numeric" autoComplete="off" autoFocus maxLength={40} value={uploadId} onChange={(e) => setUploadId(e.target.value)} />
          </label>
          <button type="submit" disabled={busy || uploadId.trim() === ''}>
            {t('record')}
          </button>
          <button type="button" onClick={() => setRecording(false)}>
            {t('cancel')}
          </button>
        </form>
      )}
    </div>
  );
}
