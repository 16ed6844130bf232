// The node panel's data for the node whose details are open: INFO everything and its files, read
// every 2 s while the panel is shown.
import type { NodePanelData } from '@api/index.js';
import { defineStore } from 'pinia';
import { lab } from '../api/lab-client.js';
import { polled } from './polled.js';

export const NODE_PANEL_INTERVAL_MS = 2000;

export const useNodePanelStore = defineStore('nodePanel', () => {
  const { data, error, start, stop } = polled<NodePanelData>((id) => lab.nodePanel(id), NODE_PANEL_INTERVAL_MS);
  return { data, error, start, stop };
});
