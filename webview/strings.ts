/** Every English UI string the webview uses; the host translates exactly these (stub until the view lands). */
export const VIEW_STRINGS: readonly string[] = [];
