// The Electron window's only door to the lab host (bundled to out/preload/preload.cjs; sandboxed
// preloads must be CommonJS). It exposes `window.replicaLab`, a LabBridge with exactly two
// functions, and forwards only method names on the LAB_METHODS whitelist, with parameters that pass
// their method's check (checkedLabRequest in api/index.ts); the main process checks
// again (host/transport/api-dispatch.ts), because a compromised renderer could talk to ipcRenderer some other way.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { checkedLabRequest, IPC_CALL_CHANNEL, IPC_PUSH_CHANNEL, type LabBridge, type LabPush, type LabResponse } from '../api/index.js';

let nextRequestId = 1;

const bridge: LabBridge = {
  async call(method, params) {
    // The method and its parameters are checked here as the host checks them (a bad call fails in the page).
    const request = checkedLabRequest(nextRequestId++, method, params);
    const response = (await ipcRenderer.invoke(IPC_CALL_CHANNEL, request)) as LabResponse;
    if (!response.ok) throw new Error(response.error);
    return response.result;
  },
  onPush(listener) {
    const forward = (_event: IpcRendererEvent, push: LabPush): void => listener(push);
    ipcRenderer.on(IPC_PUSH_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_PUSH_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('replicaLab', bridge);
