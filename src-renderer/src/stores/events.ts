// The lab's event history (created, started, stopped, crashed, …), newest first.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LabEvent } from '@api/events.js';
import { lab } from '../api/lab-client.js';
import { useNoticesStore } from './notices.js';

/** Enough history to scroll back through a session without the list growing without bound. */
const KEEP_EVENTS = 500;
const INITIAL_EVENTS = 200;

export const useEventsStore = defineStore('events', () => {
  const notices = useNoticesStore();
  const events = ref<LabEvent[]>([]);

  async function load(): Promise<void> {
    try {
      const history = await lab.listEvents(INITIAL_EVENTS);
      // Pushes that arrived while the history was on its way are kept; ids tell duplicates apart.
      const known = new Set(history.map((event) => event.id));
      const newer = events.value.filter((event) => !known.has(event.id));
      events.value = [...newer, ...history].sort((a, b) => b.id - a.id).slice(0, KEEP_EVENTS);
    } catch (error) {
      notices.reportError('Could not load the event history', error);
    }
  }

  function add(event: LabEvent): void {
    if (events.value.some((existing) => existing.id === event.id)) return;
    events.value = [event, ...events.value].slice(0, KEEP_EVENTS);
  }

  return { events, load, add };
});
