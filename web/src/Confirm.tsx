/** The question asked before an action that files with ANAF or cannot be undone: Cancel has the focus, Escape cancels. */
import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from './i18n';

export function ConfirmDialog(props: {
  /** Prefix of the title's and text's element ids (aria-labelledby / aria-describedby). */
  id: string;
  title: string;
  text: ReactNode;
  confirmLabel: string;
  /** True while the confirmed call runs: the confirm button cannot be pressed twice. */
  busy?: boolean;
  onCancel(): void;
  onConfirm(): void;
}) {
  const { t } = useT();
  // Kept in a ref: the listener is added once, whatever function the parent passes on each render.
  const cancel = useRef(props.onCancel);
  cancel.current = props.onCancel;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && cancel.current();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="overlay">
      <div role="alertdialog" aria-modal="true" aria-labelledby={`${props.id}-title`} aria-describedby={`${props.id}-text`} className="dialog">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <p id={`${props.id}-text`}>{props.text}</p>
        <div className="actions">
          <button type="button" autoFocus onClick={props.onCancel}>
            {t('cancel')}
          </button>
          <button type="button" className="danger" disabled={props.busy === true} onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
