// The Settings tab's data: the settings of the node whose details are open, as the node reports
// them (or lab.db's copy while it is stopped), and the result of the last Apply.
import type { NodeSettingName, NodeSettingValues, NodeSettingsView } from '@api/index.js';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab } from '../api/lab-client.js';

export const useNodeSettingsStore = defineStore('nodeSettings', () => {
  const view = ref<NodeSettingsView | null>(null);
  const loading = ref(false);
  const applying = ref(false);
  /** The node's error for the refused setting of the last Apply, by name. */
  const errors = ref<Partial<Record<NodeSettingName, string>>>({});
  /** An error that belongs to no one field (CONFIG REWRITE, a stopped node, the lab unreachable). */
  const generalError = ref<string | null>(null);

  async function load(id: string): Promise<void> {
    loading.value = true;
    errors.value = {};
    generalError.value = null;
    try {
      const loaded = await lab.nodeSettings(id);
      view.value = loaded;
    } catch (error) {
      generalError.value = error instanceof Error ? error.message : String(error);
    } finally {
      loading.value = false;
    }
  }

  /** Resolves true when every change was applied and kept. */
  async function apply(id: string, changes: NodeSettingValues): Promise<boolean> {
    applying.value = true;
    errors.value = {};
    generalError.value = null;
    try {
      const result = await lab.applyNodeSettings(id, changes);
      view.value = result.settings;
      if (!result.refused) return true;
      if (result.refused.name) errors.value = { [result.refused.name]: result.refused.error };
      else generalError.value = result.refused.error;
      return false;
    } catch (error) {
      generalError.value = error instanceof Error ? error.message : String(error);
      return false;
    } finally {
      applying.value = false;
    }
  }

  return { view, loading, applying, errors, generalError, load, apply };
});
