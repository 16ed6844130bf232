// What the UI tells the user outside the tables: error toasts (never let a failed host call pass
// silently) and polite screen-reader announcements of things that changed on their own.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  /** What the user was doing, e.g. "Could not stop node-1 (port 6379)". */
  title: string;
  /** The host's own words. */
  detail: string;
}

export interface Announcement {
  id: number;
  text: string;
}

const INFO_TOAST_MS = 4000;
const MAX_TOASTS = 5;
/** Keep a few so a burst of changes (three nodes starting) is read out in full, not just the last. */
const MAX_ANNOUNCEMENTS = 5;

export const useNoticesStore = defineStore('notices', () => {
  const toasts = ref<Toast[]>([]);
  const announcements = ref<Announcement[]>([]);
  let nextId = 1;

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }

  function push(toast: Omit<Toast, 'id'>): void {
    const id = nextId++;
    toasts.value = [...toasts.value, { ...toast, id }].slice(-MAX_TOASTS);
    // Errors stay until dismissed: the user may be looking elsewhere when one arrives.
    if (toast.kind === 'info') setTimeout(() => dismiss(id), INFO_TOAST_MS);
  }

  function reportError(title: string, error: unknown): void {
    push({ kind: 'error', title, detail: error instanceof Error ? error.message : String(error) });
  }

  function inform(title: string, detail = ''): void {
    push({ kind: 'info', title, detail });
  }

  function announce(text: string): void {
    announcements.value = [...announcements.value, { id: nextId++, text }].slice(-MAX_ANNOUNCEMENTS);
  }

  return { toasts, announcements, dismiss, reportError, inform, announce };
});
