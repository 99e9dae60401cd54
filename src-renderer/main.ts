/**
 * Renderer entry: Vue + Pinia + Element Plus. Element Plus' CSS is imported statically (bundled into the app's
 * stylesheet: the CSP allows styles from 'self' only, never inline <style>), dark theme by default (`html.dark`).
 */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import 'element-plus/theme-chalk/dark/css-vars.css';
import './theme.css';
import App from './App.vue';

document.documentElement.classList.add('dark');
createApp(App).use(createPinia()).use(ElementPlus).mount('#app');
