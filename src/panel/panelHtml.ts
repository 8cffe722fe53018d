/**
 * The panel's page and what it may load: a Content-Security-Policy that allows only the bundled
 * script (by nonce), the bundled stylesheet and fonts, and images from the same roots.
 */
import * as vscode from 'vscode';

/** A fresh nonce for the page's one script tag. */
function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let k = 0; k < 32; k++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

/** The webview's options: scripts on, and resources only from the bundled view and `media/`. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The page: an empty root the bundled view (dist/webview) renders into, under a strict CSP. */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name));
  const n = nonce();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('webview.css')}">
<title>ReLU neuron</title>
</head>
<body>
<div id="root"></div>
<script nonce="${n}" src="${asset('webview.js')}"></script>
</body>
</html>`;
}
