/** The operator dashboard: the manuals' server screen for one company at a time, live. */
import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { ApiError, getJson, onUnauthorized, postJson, storedKey, storeKey, submitXml, trySignIn, STATUSES, type Company, type Health, type Me } from './api';
import { AttentionGrid } from './Attention';
import { Charts, STATUS_COLOURS } from './Charts';
import { ConfirmDialog } from './Confirm';
import { Detail } from './Detail';
import { InvoiceGrid, NokGrid } from './Grid';
import { StatusBar } from './StatusBar';
import { LangContext, statusLabel, translator, useT, type Lang, type T } from './i18n';
import { useInterval, useLive, type EngineStates } from './live';
import { fmtInt, fmtTime } from './format';

function initialLang(): Lang {
  const saved = localStorage.getItem('efact.lang');
  if (saved === 'en' || saved === 'ro') return saved;
  return navigator.language.toLowerCase().startsWith('ro') ? 'ro' : 'en';
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = useMemo(() => translator(lang), [lang]);
  useEffect(() => {
    localStorage.setItem('efact.lang', lang);
    document.documentElement.lang = lang;
    document.title = t('title');
  }, [lang, t]);

  const [companies, setCompanies] = useState<Company[] | null>(null);
  const [cif, setCif] = useState<string | null>(() => localStorage.getItem('efact.company'));
  const [engine, setEngine] = useState<EngineStates>([]);
  const [health, setHealth] = useState<Health | null>(null);
  const [tick, setTick] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Kept as a function of the language, so a switch of language translates it too.
  const [notice, setNotice] = useState<((t: T) => string) | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const clockSkew = useRef(0);

  // Who the page acts as: GET /me with the key kept in this tab (none: the open local mode, or a
  // 401 that shows the sign-in form). Nothing else is loaded until it is known.
  const [key, setKey] = useState<string | null>(storedKey);
  const [me, setMe] = useState<Me | null>(null);
  const [needKey, setNeedKey] = useState(false);
  useEffect(
    () =>
      onUnauthorized(() => {
        setNeedKey(true);
        setMe(null);
      }),
    [],
  );
  useEffect(() => {
    let gone = false;
    getJson<Me>('/me')
      .then((m) => {
        if (gone) return;
        setMe(m);
        setNeedKey(false);
        setError(null);
      })
      .catch((e: unknown) => !gone && !(e instanceof ApiError && e.status === 401) && setError((e as Error).message));
    return () => {
      gone = true;
    };
  }, [key]);
  const signedIn = me !== null && !needKey;
  const canAct = signedIn && me.role !== 'viewer';
  const signIn = (k: string, m: Me) => {
    storeKey(k);
    setKey(k);
    setMe(m);
    setNeedKey(false);
    setError(null);
  };
  const signOut = () => {
    storeKey(null);
    setKey(null);
    setMe(null);
    companiesSeq.current++;
    setCompanies(null);
    setEngine([]);
    setOpenId(null);
    setNotice(null);
    setNeedKey(true);
  };

  // Each /companies request is numbered: an answer that arrives after a newer request was sent
  // (a slow one, or one from before a sign-out) is dropped, so it cannot overwrite newer counts.
  const companiesSeq = useRef(0);
  const loadCompanies = useCallback(async () => {
    const seq = ++companiesSeq.current;
    try {
      const r = await getJson<{ items: Company[] }>('/companies');
      if (seq !== companiesSeq.current) return;
      setCompanies(r.items);
      setError(null);
    } catch (e) {
      if (seq !== companiesSeq.current) return;
      setError((e as Error).message);
    }
  }, []);
  const loadHealth = useCallback(async () => {
    try {
      const sent = Date.now();
      const h = await getJson<Health>('/health');
      // The server's clock against this one, taken at the middle of the round trip; a difference
      // of a second or two is the round trip itself, not a clock that is off.
      const skew = Date.parse(h.time) - (sent + Date.now()) / 2;
      clockSkew.current = Math.abs(skew) < 2000 ? 0 : skew;
      setHealth(h);
    } catch {
      /* shown by the other calls */
    }
  }, []);

  // Changes arrive in bursts (an upload pass moves 100 invoices): refresh the grids at most every
  // 1.1 s — under the API's 60 identical GETs a minute per key (http.repeatLimit) — and the
  // per-status counts (a count over every invoice of every company) at most every 3 s, by one
  // trailing timer that always loads when it fires: a timer firing a little early by the wall
  // clock must not skip the load (the counts would stay stale on a quiet page).
  const pending = useRef<number | null>(null);
  const countsTimer = useRef<number | null>(null);
  const lastCounts = useRef(0);
  const refreshSoon = useCallback(() => {
    if (pending.current !== null) return;
    pending.current = window.setTimeout(() => {
      pending.current = null;
      setTick((n) => n + 1);
      if (countsTimer.current !== null) return; // a counts load is already due
      countsTimer.current = window.setTimeout(
        () => {
          countsTimer.current = null;
          lastCounts.current = Date.now();
          void loadCompanies();
        },
        Math.max(0, 3000 - (Date.now() - lastCounts.current)),
      );
    }, 1100);
  }, [loadCompanies]);
  useEffect(
    () => () => {
      // Reset too: React's development double mount must not leave a cleared timer "pending".
      if (pending.current !== null) window.clearTimeout(pending.current);
      if (countsTimer.current !== null) window.clearTimeout(countsTimer.current);
      pending.current = null;
      countsTimer.current = null;
    },
    [],
  );

  const company = companies?.find((c) => c.cif === cif) ?? companies?.[0] ?? null;
  const mode = useLive(
    {
      onInvoice: (e) => {
        if (company === null || e.companyId === company.id) refreshSoon();
      },
      onEngine: (states) => setEngine(states),
      onResync: refreshSoon,
    },
    signedIn,
    key,
  );
  useInterval(() => refreshSoon(), 3000, signedIn && mode === 'polling');
  useInterval(() => void loadHealth(), 30_000);
  useInterval(() => setNow(Date.now()), 1000);
  useEffect(() => void loadHealth(), [loadHealth]);
  useEffect(() => {
    if (signedIn) void loadCompanies();
  }, [signedIn, key, loadCompanies]);
  useEffect(() => {
    if (company) localStorage.setItem('efact.company', company.cif);
  }, [company]);

  const state = company ? (engine.find((s) => s.companyId === company.id) ?? company.engine) : null;

  const act = async (what: () => Promise<unknown>) => {
    try {
      await what();
      setError(null);
      refreshSoon();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const upload = async (files: Iterable<File>) => {
    if (!company || !canAct) return;
    const lines: Array<(t: T) => string> = [];
    for (const f of [...files]) {
      try {
        const r = await submitXml(company.cif, f);
        lines.push((tr) => tr('submitted', { file: f.name, id: r.id, outcome: r.outcome }));
      } catch (e) {
        lines.push(() => `${f.name}: ${(e as Error).message}`);
      }
    }
    setNotice(() => (tr: T) => lines.map((l) => l(tr)).join('\n'));
    refreshSoon();
  };

  // A file dropped anywhere on the page is sent like one chosen with the file field.
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      if (e.dataTransfer?.files.length) void upload(e.dataTransfer.files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  });

  return (
    <LangContext.Provider value={{ lang, t }}>
      <div className={`app env-${company?.environment ?? 'none'}`}>
        <header className="top">
          <h1>Efact</h1>
          {signedIn && (
            <label>
              {t('company')}
              <select value={company?.cif ?? ''} onChange={(e) => setCif(e.target.value)} name="company">
                {companies?.map((c) => (
                  <option key={c.cif} value={c.cif}>
                    {c.shortName} — {c.name} (CIF {c.cif})
                  </option>
                ))}
              </select>
            </label>
          )}
          {company && (
            <span className={`env-badge env-${company.environment}`} title={t(company.environment === 'test' ? 'env_test_hint' : 'env_prod_hint')} data-testid="environment">
              {t('environment')}: {t(company.environment === 'test' ? 'env_test' : 'env_prod')}
            </span>
          )}
          {signedIn && me.via === 'api-key' && (
            <span className="who" data-testid="who">
              {t('signed_in_as', { name: me.name })}{' '}
              <span className={`role role-${me.role}`} data-testid="role">
                {t(`role_${me.role}`)}
              </span>
              <button type="button" onClick={signOut}>
                {t('sign_out')}
              </button>
            </span>
          )}
          {signedIn && me.via === 'local' && (
            <span className="muted" data-testid="who">
              {t('open_access')}
            </span>
          )}
          <label className="lang">
            {t('language')}
            <select value={lang} onChange={(e: ChangeEvent<HTMLSelectElement>) => setLang(e.target.value as Lang)} name="language">
              <option value="en">English</option>
              <option value="ro">Română</option>
            </select>
          </label>
        </header>
        {error && (
          <p role="alert" className="error banner">
            {t('error', { m: error })}
          </p>
        )}
        {needKey && <SignIn onSignedIn={signIn} />}
        {signedIn && companies !== null && companies.length === 0 && <p>{t('no_companies')}</p>}
        {signedIn && company && (
          <main>
            <Controls company={company} state={state} now={now + clockSkew.current} act={act} canAct={canAct} onNotice={(n) => setNotice(() => n)} />
            <section className="panel counts" aria-label={t('counts')}>
              <ul>
                {STATUSES.filter((s) => company.counts[s] > 0 || s === 'queued' || s === 'nok' || s === 'downloaded').map((s) => (
                  <li key={s} data-status={s}>
                    <span className="swatch" style={{ background: STATUS_COLOURS[s] }} />
                    {statusLabel(lang, s)}: <strong>{fmtInt(company.counts[s], lang)}</strong>
                  </li>
                ))}
              </ul>
              <label className="upload">
                {t('submit_label')}
                <input
                  type="file"
                  accept=".xml,.XML,application/xml,text/xml"
                  multiple
                  disabled={!canAct}
                  onChange={(e) => e.target.files && void upload(e.target.files)}
                />
                {canAct && <span className="muted">{t('submit_hint')}</span>}
              </label>
            </section>
            {notice && (
              <p className="notice" role="status">
                {notice(t)}
              </p>
            )}
            <InvoiceGrid company={company} tick={tick} onOpen={setOpenId} />
            <AttentionGrid company={company} tick={tick} canAct={canAct} act={act} onNotice={(n) => setNotice(() => n)} onOpen={setOpenId} />
            <NokGrid company={company} tick={tick} onOpen={setOpenId} />
            <Charts cif={company.cif} tick={tick} />
          </main>
        )}
        {signedIn && openId !== null && <Detail id={openId} tick={tick} onClose={() => setOpenId(null)} />}
        <StatusBar health={health} mode={mode} cif={signedIn ? (company?.cif ?? null) : null} signedIn={signedIn} />
      </div>
    </LangContext.Provider>
  );
}

function Controls(props: {
  company: Company;
  state: Company['engine'];
  now: number;
  act(what: () => Promise<unknown>): Promise<void>;
  /** False for a viewer key: the buttons that change something are shown but disabled. */
  canAct: boolean;
  onNotice(text: (t: T) => string): void;
}) {
  const { t, lang } = useT();
  const { company, state, now, act, canAct } = props;
  const noRight = canAct ? undefined : t('viewer_only');
  const [confirming, setConfirming] = useState(false);
  const sending = state?.sendingEnabled ?? company.sendingEnabled;
  const phase = state?.phase ?? 'unknown';
  const backoffUntil = state?.phase === 'backoff' && state.backoffUntil ? Date.parse(state.backoffUntil) : null;
  // Rounded, not ceiled: a 10-minute back-off seen a moment after it began reads "10 min", not "11".
  const minutesLeft = backoffUntil === null ? 0 : Math.max(0, Math.round((backoffUntil - now) / 60_000));
  return (
    <section className="panel controls" aria-label={t('engine')}>
      <span className={`phase phase-${phase}`} data-testid="phase" role="status">
        {t('engine')}: <strong>{t(`phase_${phase}` as 'phase_running')}</strong>
      </span>
      <button type="button" disabled={!canAct} title={noRight} onClick={() => void act(() => postJson(`/companies/${company.cif}/${sending ? 'stop' : 'start'}`))}>
        {sending ? t('stop') : t('start')}
      </button>
      {backoffUntil !== null && (
        <span className="backoff">
          {t('backoff_left', { n: minutesLeft, t: fmtTime(new Date(backoffUntil).toISOString(), lang) })}{' '}
          <button type="button" className="primary" disabled={!canAct} title={noRight} onClick={() => void act(() => postJson(`/companies/${company.cif}/resume`))}>
            {t('resume')}
          </button>
        </span>
      )}
      {state?.phase === 'paused-quota' && state.quotaPausedUntil && <span className="backoff">{t('quota_until', { t: fmtTime(state.quotaPausedUntil, lang) })}</span>}
      {state?.lastError && <span className="error">{state.lastError}</span>}
      {!canAct && (
        <span className="muted hint-disabled" data-testid="viewer-only">
          {t('viewer_only')}
        </span>
      )}
      {company.environment === 'test' && (
        <button type="button" className="danger" disabled={!canAct} title={noRight} onClick={() => setConfirming(true)}>
          {t('promote')}
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          id="promote"
          title={t('promote_title')}
          text={t('promote_text', { company: `${company.shortName} (CIF ${company.cif})` })}
          confirmLabel={t('promote_confirm')}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void act(async () => {
              const r = await postJson<{ moved: number }>(`/companies/${company.cif}/promote`, { confirm: true });
              props.onNotice((tr) => tr('promote_done', { n: r.moved }));
              setConfirming(false);
            })
          }
        />
      )}
    </section>
  );
}

/** Shown when the API answers 401: the person types a key; it is tried with GET /me before it is kept. */
function SignIn(props: { onSignedIn(key: string, me: Me): void }) {
  const { t } = useT();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<((t: T) => string) | null>(null);
  // Failed sign-ins are throttled by the server (429 + Retry-After): count the wait down.
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 1000, waitUntil !== null);
  const waitLeft = waitUntil === null ? 0 : Math.max(0, Math.ceil((waitUntil - now) / 1000));
  useEffect(() => {
    if (waitUntil !== null && waitLeft === 0) {
      setWaitUntil(null);
      setProblem(null);
    }
  }, [waitUntil, waitLeft]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const key = value.trim();
    if (key === '' || busy || waitLeft > 0) return;
    setBusy(true);
    try {
      const me = await trySignIn(key);
      setValue('');
      props.onSignedIn(key, me);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const seconds = err.retryAfter ?? 60;
        setWaitUntil(Date.now() + seconds * 1000);
        setNow(Date.now());
        setProblem(null);
      } else if (err instanceof ApiError && err.status === 401) setProblem(() => (tr: T) => tr('signin_wrong'));
      else setProblem(() => () => (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <form className="panel signin" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h2 id="signin-title">{t('signin_title')}</h2>
        <p>{t('signin_text')}</p>
        <label>
          {t('signin_key')}
          <input type="password" name="apiKey" autoComplete="off" spellCheck={false} autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || waitLeft > 0 || value.trim() === ''}>
            {t('signin_button')}
          </button>
          <span className="muted">{t('signin_kept')}</span>
        </div>
        {waitLeft > 0 && (
          <p role="alert" className="error" data-testid="signin-wait">
            {t('signin_wait', { n: waitLeft })}
          </p>
        )}
        {problem && waitLeft === 0 && (
          <p role="alert" className="error">
            {problem(t)}
          </p>
        )}
      </form>
    </main>
  );
}
