import { useEffect, useState } from 'preact/hooks';
import { locationStore } from '../router/location.store';
import { createStore } from '../state/value.store';
import { useStore } from '../state/use-store.hook';

const messageStore = createStore<{ text: string; at: number } | null>(null);

/** Says something to screen readers and shows it briefly ("Added Kettle to your cart"). */
export function announce(text: string): void {
  messageStore.set({ text, at: Date.now() });
}

export function Announcer() {
  const message = useStore(messageStore);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (!message) return;
    setVisible(true);
    const timer = setTimeout(() => setVisible(false), 4000);
    return () => clearTimeout(timer);
  }, [message]);
  // A message belongs to the page it was said on.
  useEffect(() => locationStore.subscribe(() => setVisible(false)), []);
  return (
    <div class={`toast${visible ? ' toast-visible' : ''}`} role="status" aria-live="polite" data-testid="announcer">
      {visible ? message?.text : ''}
    </div>
  );
}
