// Renderer entry: a Vue app with Pinia stores. The transport to the lab host is chosen inside
// api/lab-client.ts; nothing here knows whether it runs in Electron or in a browser.
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import './styles/base.css';

createApp(App).use(createPinia()).mount('#app');
