// What the page adds to the browser's globals, for the type check (assets/main.js sets it).
interface Window {
  /** The explorer's state and hooks, read by the tests and benchmarks. */
  graphmodelExplorer: any;
}
