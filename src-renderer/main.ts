/** Renderer entry: Vue + Pinia. The bridge to main is picked lazily by `useApi()` (Electron or browser mode). */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';

createApp(App).use(createPinia()).mount('#app');
