/** One invoice: its fields, ANAF's messages, the timeline of events, downloads and the PDF view. */
import { useEffect, useRef, useState } from 'react';
import { download, fetchPdf, getJson, type InvoiceDetail } from './api';
import { StatusBadge } from './Grid';
import { statusLabel, useT } from './i18n';
import { fileName, fmtDate } from './format';

export function Detail(props: { id: number; tick: number; onClose(): void }) {
  const { t, lang } = useT();
  const { id, tick, onClose } = props;
  const [inv, setInv] = useState<InvoiceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pdf, setPdf] = useState<{ url?: string; error?: string; loading?: boolean } | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    getJson<InvoiceDetail>(`/invoices/${id}`, ctrl.signal)
      .then((d) => {
        setInv(d);
        setError(null);
      })
      .catch((e: Error) => !ctrl.signal.aborted && setError(e.message));
    return () => ctrl.abort();
  }, [id, tick]);
  useEffect(() => closeRef.current?.focus(), [id]);
  // Back to where the person was (the row's button) when the dialog closes.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    return () => before?.focus?.();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  useEffect(() => () => {
    if (pdf?.url) URL.revokeObjectURL(pdf.url);
  }, [pdf]);

  const showPdf = async () => {
    setPdf({ loading: true });
    try {
      setPdf({ url: await fetchPdf(id) });
    } catch (e) {
      setPdf({ error: (e as Error).message });
    }
  };

  // Fetched with the key, then saved: a plain link could not send it.
  const save = async (path: string, name: string) => {
    try {
      await download(path, name);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const title = inv ? t('detail', { n: `${inv.series}${inv.number}` }) : t('detail', { n: id });
  return (
    <div className="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div role="dialog" aria-modal="true" aria-labelledby="detail-title" className="dialog detail">
        <header className="dialog-head">
          <h2 id="detail-title">{title}</h2>
          <button type="button" ref={closeRef} onClick={onClose}>
            {t('close')}
          </button>
        </header>
        {error && <p role="alert" className="error">{t('error', { m: error })}</p>}
        {inv && (
          <>
            <dl className="facts">
              <dt>{t('col_status')}</dt>
              <dd>
                <StatusBadge status={inv.status} />
              </dd>
              <dt>{t('col_environment')}</dt>
              <dd>{inv.environment}</dd>
              <dt>{t('col_series')} / {t('col_number')}</dt>
              <dd>
                {inv.series} / {inv.number} ({inv.invoiceId})
              </dd>
              <dt>{t('col_branch')} / {t('col_user')} / {t('col_computer')}</dt>
              <dd>
                {inv.origin.branch ?? '—'} / {inv.origin.user ?? '—'} / {inv.origin.computer ?? '—'}
              </dd>
              <dt>{t('col_file')}</dt>
              <dd title={inv.origin.sourcePath ?? ''}>{fileName(inv.origin.sourcePath) || inv.origin.channel}</dd>
              <dt>{t('col_upload_id')}</dt>
              <dd>{inv.uploadId ?? '—'}</dd>
              <dt>{t('col_uploaded')}</dt>
              <dd>{fmtDate(inv.uploadedAt, lang) || '—'}</dd>
              <dt>{t('col_download_id')}</dt>
              <dd>{inv.downloadId ?? '—'}</dd>
            </dl>
            {(inv.messages.length > 0 || inv.lastError) && (
              <section aria-labelledby="msg-title">
                <h3 id="msg-title">{t('messages')}</h3>
                <ul className="messages">
                  {inv.messages.map((m, i) => (
                    <li key={i} className={m.severity === 'warning' ? 'warning' : undefined}>
                      {m.text}
                      {m.location !== undefined && (
                        <small className="where">
                          {' '}
                          ({m.location}
                          {m.line ? `, line ${m.line}` : ''})
                        </small>
                      )}
                    </li>
                  ))}
                  {inv.lastError && <li className="error">{inv.lastError}</li>}
                </ul>
              </section>
            )}
            <div className="actions">
              <button type="button" onClick={() => void save(`/invoices/${inv.id}/xml`, `${inv.series}${inv.number}.xml`)}>
                {t('download_xml')}
              </button>
              {inv.archived && (
                <button type="button" onClick={() => void save(`/invoices/${inv.id}/archive`, `${inv.series}${inv.number}.zip`)}>
                  {t('download_zip')}
                </button>
              )}
              <button type="button" onClick={() => void showPdf()}>
                {t('view_pdf')}
              </button>
            </div>
            {pdf?.loading && <p aria-live="polite">{t('pdf_loading')}</p>}
            {pdf?.error && (
              <p role="alert" className="error">
                {t('pdf_failed', { m: pdf.error })}
              </p>
            )}
            {pdf?.url && <iframe className="pdf" src={pdf.url} title={t('view_pdf')} />}
            <section aria-labelledby="tl-title">
              <h3 id="tl-title">{t('timeline')}</h3>
              <ol className="timeline">
                {inv.events.map((e) => (
                  <li key={e.id}>
                    <time dateTime={e.at}>{fmtDate(e.at, lang)}</time>{' '}
                    <span>
                      {e.fromStatus ? `${statusLabel(lang, e.fromStatus)} → ` : ''}
                      <strong>{statusLabel(lang, e.toStatus)}</strong>
                    </span>{' '}
                    <span className="muted">
                      {e.cause} · {e.instance}
                    </span>
                  </li>
                ))}
              </ol>
            </section>
            {inv.uploadAttempts.length > 0 && (
              <section aria-labelledby="att-title">
                <h3 id="att-title">{t('attempts')}</h3>
                <ul className="timeline">
                  {inv.uploadAttempts.map((a) => (
                    <li key={a.id}>
                      <time dateTime={a.startedAt}>{fmtDate(a.startedAt, lang)}</time> {a.outcome} {a.uploadId ?? ''}{' '}
                      <span className="muted">{a.note ?? ''}</span>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </>
        )}
      </div>
    </div>
  );
}
