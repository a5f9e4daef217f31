// lit-html, the console's only rendering library (a WebJar served at /console/vendor/): tagged templates
// rendered into the page with minimal DOM updates. Values are always text, never HTML.
export { html, render, nothing } from '../vendor/lit-html/lit-html.js';
export { live } from '../vendor/lit-html/directives/live.js';
export { ref, createRef } from '../vendor/lit-html/directives/ref.js';
export { repeat } from '../vendor/lit-html/directives/repeat.js';
export { classMap } from '../vendor/lit-html/directives/class-map.js';
export { ifDefined } from '../vendor/lit-html/directives/if-defined.js';
