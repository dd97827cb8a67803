import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, UNREACHABLE } from '../../api/api-client';
import { ProblemAlert } from '../components/problem-alert.component';

interface Props {
  /** The button that asks, e.g. "Replay all". */
  label: string;
  /** Its accessible name when the label alone is ambiguous on the page ("Replay all dead letters of order"). */
  name?: string;
  /** What will happen, asked before it does: "Replay 3 dead letters of order through its first retry tier?" */
  question: ComponentChildren;
  /** Runs the action; what it returns is the result line shown after. */
  run: () => Promise<string>;
  disabled?: boolean;
  danger?: boolean;
  onDone?: () => void;
  /** Shows the result elsewhere instead (an action on a row that the refresh after it removes). */
  onResult?: (result: string) => void;
}

/**
 * An operator action in two steps: the button, then a confirmation that says
 * what will happen; then the result (or the problem) stays on the page.
 */
export function ConfirmAction({ label, name, question, run, disabled, danger, onDone, onResult }: Props) {
  const [stage, setStage] = useState<'idle' | 'asking' | 'running'>('idle');
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const confirm = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (stage === 'asking') confirm.current?.focus();
  }, [stage]);

  async function go() {
    setStage('running');
    setError(null);
    setResult(null);
    try {
      const text = await run();
      if (onResult) onResult(text);
      else setResult(text);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ ...UNREACHABLE, detail: err instanceof Error ? err.message : String(err) }));
    }
    setStage('idle');
    onDone?.();
  }

  return (
    <div class="confirm-action">
      {stage === 'idle' ? (
        <button type="button" class={danger ? 'button-danger' : 'button-secondary'} disabled={disabled} aria-label={name} onClick={() => setStage('asking')}>
          {label}
        </button>
      ) : (
        <div class="confirm-box" role="group" aria-label={`Confirm: ${name ?? label}`}>
          <p class="confirm-question">{question}</p>
          <div class="actions">
            <button type="button" ref={confirm} class={danger ? 'button-danger' : undefined} disabled={stage === 'running'} onClick={go}>
              {stage === 'running' ? 'Working…' : 'Confirm'}
            </button>
            <button type="button" class="button-link" disabled={stage === 'running'} onClick={() => setStage('idle')}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {result ? (
        <p class="action-result" role="status" data-testid="action-result">
          {result}
        </p>
      ) : null}
      {error ? <ProblemAlert error={error} title={`${name ?? label}: not done`} focus /> : null}
    </div>
  );
}
