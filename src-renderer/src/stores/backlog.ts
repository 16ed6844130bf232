// The backlog view's data for the master whose details are open, read every second while shown.
import type { BacklogView } from '@api/index.js';
import { defineStore } from 'pinia';
import { lab } from '../api/lab-client.js';
import { polled } from './polled.js';

export const BACKLOG_INTERVAL_MS = 1000;

export const useBacklogStore = defineStore('backlog', () => {
  const { data, error, start, stop } = polled<BacklogView>((id) => lab.backlog(id), BACKLOG_INTERVAL_MS);
  return { data, error, start, stop };
});
