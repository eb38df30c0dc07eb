// Vigil for VS Code: starts `vigil lsp` through vscode-languageclient, sends only the settings the
// user set (so .vigil/config.yaml still applies), and adds what a generic LSP client lacks: palette
// commands for validation, security tests and provenance, a status-bar item, decorations for
// AI-written ranges (vigil/provenance), and vigil/markProvenance for inline completions accepted
// with Tab.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CodeAction,
  CodeActionRequest,
  CodeActionResolveRequest,
  Command,
  Diagnostic as ProtocolDiagnostic,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  Trace,
} from 'vscode-languageclient/node';

const LANGUAGES = ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go', 'java', 'c', 'cpp'];
// Settings the server reads (section `vigil`); the others (server.*, trace.*, decorations.*) are
// the extension's own.
const SERVER_KEYS = [
  'scope',
  'showHumanFindings',
  'provenance.bulkInsert.minLines',
  'provenance.bulkInsert.minChars',
  'provenance.git.enabled',
  'provenance.aiGlobs',
  'validation.validator',
  'validation.endpoint',
  'validation.command',
];
// Keys that make Vigil run a program or reach a network: user settings only, never a workspace's.
const USER_ONLY_KEYS = new Set(['validation.endpoint', 'validation.command']);

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let aiDecoration: vscode.TextEditorDecorationType;
let serverState: 'starting' | 'running' | 'stopped' | 'missing' = 'stopped';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Vigil');
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.name = 'Vigil';
  status.command = 'vigil.showOutput';
  aiDecoration = vscode.window.createTextEditorDecorationType({
    gutterIconPath: context.asAbsolutePath(path.join('media', 'ai-range.svg')),
    gutterIconSize: 'contain',
    overviewRulerColor: new vscode.ThemeColor('vigil.aiRangeBackground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
    isWholeLine: true,
  });
  context.subscriptions.push(output, status, aiDecoration);

  const register = (id: string, fn: (...args: any[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register('vigil.restartServer', () => restart(context));
  register('vigil.showOutput', () => output.show(true));
  register('vigil.validateFindingAtCursor', () => runServerAction(/validat/i, 'Validation'));
  register('vigil.generateTestsAtCursor', () => runServerAction(/test/i, 'Security tests'));
  register('vigil.markSelectionReviewed', () => markSelection('vigil.markReviewed'));
  register('vigil.markSelectionAiWritten', () => markSelection('vigil.markAiWritten'));
  register('vigil.toggleAiRangeDecorations', async () => {
    const config = vscode.workspace.getConfiguration('vigil');
    await config.update('decorations.aiRanges', !config.get<boolean>('decorations.aiRanges', true), vscode.ConfigurationTarget.Global);
  });
  register('vigil.acceptInlineCompletion', acceptInlineCompletion);

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('vigil.server')) return void restart(context);
      if (e.affectsConfiguration('vigil.decorations')) refreshVisibleDecorations();
      if (e.affectsConfiguration('vigil') && client?.state === State.Running)
        // null settings: the server asks with workspace/configuration (explicitSettings below).
        void client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      updateStatus();
      // New diagnostics often follow new provenance (git answered, a paste, a mark).
      for (const editor of vscode.window.visibleTextEditors)
        if (e.uris.some((u) => u.toString() === editor.document.uri.toString())) void refreshDecorations(editor);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => editor && void refreshDecorations(editor)),
    vscode.workspace.onDidChangeTextDocument(debounce((e: vscode.TextDocumentChangeEvent) => {
      for (const editor of vscode.window.visibleTextEditors) if (editor.document === e.document) void refreshDecorations(editor);
    }, 400)),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}

// --- the server ------------------------------------------------------------------------------

function resolveServer(): { configured: string; found?: string } {
  // Only the user's own settings choose the program: the setting is machine-scoped, so VS Code
  // ignores a workspace's value for it.
  const configured = vscode.workspace.getConfiguration('vigil').get<string>('server.path') || 'vigil';
  const expanded = configured.startsWith('~/') ? path.join(os.homedir(), configured.slice(2)) : configured;
  const executable = (p: string) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (path.isAbsolute(expanded) || expanded.includes(path.sep)) return { configured, found: executable(expanded) ? expanded : undefined };
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, expanded))) return { configured, found: path.join(dir, expanded) };
  }
  return { configured };
}

// The settings the user (or workspace) actually set, as the nested `vigil` object: defaults are
// left to the server, so the project's .vigil/config.yaml is not overridden by VS Code's defaults.
function explicitSettings(scope?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('vigil', scope);
  const out: Record<string, any> = {};
  for (const key of SERVER_KEYS) {
    const i = config.inspect(key);
    if (!i) continue;
    const value = USER_ONLY_KEYS.has(key) ? i.globalValue : (i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue);
    if (value === undefined) continue;
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const { configured, found } = resolveServer();
  if (!found) {
    serverState = 'missing';
    updateStatus();
    const message =
      `Vigil: the server \`${configured}\` was not found. Build it (\`./scripts/build --target vigil\` in the Vigil ` +
      'repository) and put `build/cli/vigil` on your PATH, or set `vigil.server.path` to its absolute path.';
    output.appendLine(message);
    const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'vigil.server.path');
    if (choice === 'Show Output') output.show(true);
    return;
  }
  const extraArgs = vscode.workspace.getConfiguration('vigil').get<string[]>('server.extraArgs') ?? [];  // machine-scoped too
  const serverOptions: ServerOptions = { command: found, args: ['lsp', ...extraArgs] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.map((language) => ({ language, scheme: 'file' })),
      ...LANGUAGES.map((language) => ({ language, scheme: 'untitled' })),
      { scheme: 'file', pattern: '**/.vigil/rules/**/*.{yaml,yml}' },
      { scheme: 'file', pattern: '**/.vigil/config.yaml' },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: explicitSettings(),
    middleware: {
      workspace: {
        configuration: (params) =>
          params.items.map((item) => (item.section === 'vigil' ? explicitSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : null)),
      },
    },
  };
  client = new LanguageClient('vigil', 'Vigil', serverOptions, clientOptions);
  client.onDidChangeState((e) => {
    serverState = e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped';
    updateStatus();
  });
  serverState = 'starting';
  updateStatus();
  try {
    await client.start();
    const trace = vscode.workspace.getConfiguration('vigil').get<string>('trace.server', 'off');
    await client.setTrace(Trace.fromString(trace));
    refreshVisibleDecorations();
  } catch (e) {
    serverState = 'stopped';
    updateStatus();
    output.appendLine(`Vigil: the server did not start: ${e}`);
    void vscode.window.showErrorMessage(`Vigil: the server did not start (${e}). See the Vigil output.`, 'Show Output').then(
      (c) => c && output.show(true));
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (client) {
    try {
      await client.stop();
    } catch (e) {
      output.appendLine(`Vigil: stopping the server: ${e}`);
    }
    client = undefined;
  }
  await start(context);
}

// --- status bar --------------------------------------------------------------------------------

function isAiFinding(d: vscode.Diagnostic): boolean {
  const data = (d as any).data;
  return data?.provenance?.origin === 'ai' || d.message.includes('(AI-suggested');
}

function updateStatus(): void {
  let total = 0;
  let ai = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics())
    for (const d of diagnostics)
      if (d.source === 'vigil') {
        total++;
        if (isAiFinding(d)) ai++;
      }
  switch (serverState) {
    case 'missing':
      status.text = '$(error) Vigil: not found';
      status.tooltip = 'The vigil binary was not found: set vigil.server.path';
      break;
    case 'starting':
      status.text = '$(sync~spin) Vigil';
      status.tooltip = 'Vigil is starting';
      break;
    case 'stopped':
      status.text = '$(circle-slash) Vigil';
      status.tooltip = 'Vigil is stopped: run "Vigil: Restart Server"';
      break;
    case 'running':
      status.text = ai > 0 ? `$(shield) Vigil: ${ai} in AI code` : '$(shield) Vigil';
      status.tooltip = `Vigil: ${ai} finding(s) in AI-written code, ${total} in all. Click for the output.`;
      break;
  }
  status.show();
}

// --- AI-written ranges ---------------------------------------------------------------------------

interface ProvenanceRange {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  origin: string;
  evidence: string;
  tool?: string;
}

async function refreshDecorations(editor: vscode.TextEditor): Promise<void> {
  const enabled = vscode.workspace.getConfiguration('vigil').get<boolean>('decorations.aiRanges', true);
  if (!enabled || !client || client.state !== State.Running || !LANGUAGES.includes(editor.document.languageId)) {
    editor.setDecorations(aiDecoration, []);
    return;
  }
  try {
    const result = await client.sendRequest<{ ranges: ProvenanceRange[] }>('vigil/provenance', {
      textDocument: { uri: editor.document.uri.toString() },
    });
    const options: vscode.DecorationOptions[] = [];
    for (const r of result?.ranges ?? []) {
      if (r.origin !== 'ai') continue;
      let end = new vscode.Position(r.range.end.line, r.range.end.character);
      // A range ending at the start of a line does not cover that line.
      if (end.character === 0 && end.line > r.range.start.line) end = editor.document.lineAt(end.line - 1).range.end;
      options.push({
        range: new vscode.Range(new vscode.Position(r.range.start.line, r.range.start.character), end),
        hoverMessage: `AI-written (${r.evidence}${r.tool ? ', ' + r.tool : ''})`,
      });
    }
    editor.setDecorations(aiDecoration, options);
  } catch (e) {
    output.appendLine(`Vigil: vigil/provenance failed: ${e}`);
  }
}

function refreshVisibleDecorations(): void {
  for (const editor of vscode.window.visibleTextEditors) void refreshDecorations(editor);
}

// --- palette commands ----------------------------------------------------------------------------

function requireClient(): LanguageClient | undefined {
  if (client && client.state === State.Running) return client;
  void vscode.window.showWarningMessage('Vigil: the server is not running.');
  return undefined;
}

async function markSelection(command: 'vigil.markReviewed' | 'vigil.markAiWritten'): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const c = requireClient();
  if (!editor || !c) return;
  let range: vscode.Range = editor.selection;
  if (range.isEmpty) range = editor.document.lineAt(range.start.line).rangeIncludingLineBreak;
  await c.sendRequest(ExecuteCommandRequest.type, {
    command,
    arguments: [{ uri: editor.document.uri.toString(), range: c.code2ProtocolConverter.asRange(range) }],
  });
  await refreshDecorations(editor);
}

// One line for a verdict (validation), a generated test, or any other command result.
function describeResult(result: any): string {
  if (result === null || result === undefined) return 'done';
  if (typeof result !== 'object') return String(result);
  if (typeof result.status === 'string' && typeof result.validator === 'string') {
    let text = `${result.status} by ${result.validator}${result.model ? ` (${result.model})` : ''}`;
    if (typeof result.confidence === 'number' && result.status !== 'error') text += `, confidence ${Math.round(result.confidence * 100)}%`;
    if (result.explanation) text += `: ${result.explanation}`;
    return text;
  }
  if (typeof result.path === 'string' && typeof result.command === 'string')
    return `${result.function ? `${result.function}: ` : ''}tests in ${vscode.workspace.asRelativePath(result.path)}; run: ${result.command}`;
  if (typeof result.applied === 'boolean') return result.applied ? 'applied' : `not applied: ${result.failureReason ?? ''}`;
  return JSON.stringify(result);
}

// Runs the server's code action for the Vigil finding at the cursor whose command or title matches
// `pattern`: the validation and test-generation actions, with the arguments the server chose.
async function runServerAction(pattern: RegExp, what: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const c = requireClient();
  if (!editor || !c) return;
  const commands: string[] = (c.initializeResult?.capabilities.executeCommandProvider?.commands ?? []) as string[];
  if (!commands.some((name) => pattern.test(name))) {
    void vscode.window.showWarningMessage(
      `Vigil: this server offers no ${what.toLowerCase()} command (it offers ${commands.join(', ') || 'none'}); update vigil.`);
    return;
  }
  const position = editor.selection.active;
  const findings = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((d) => d.source === 'vigil' && (d.range.contains(position) || d.range.start.line === position.line));
  if (findings.length === 0) {
    void vscode.window.showWarningMessage('Vigil: no Vigil finding at the cursor.');
    return;
  }
  const diagnostics: ProtocolDiagnostic[] = await Promise.resolve(c.code2ProtocolConverter.asDiagnostics(findings));
  const actions = (await c.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: editor.document.uri.toString() },
    range: diagnostics[0].range,
    context: { diagnostics, triggerKind: 1 },
  })) ?? [];
  for (let action of actions as (CodeAction | Command)[]) {
    const command = Command.is(action) ? action : action.command;
    const title = action.title ?? '';
    if (!pattern.test(command?.command ?? '') && !pattern.test(title)) continue;
    if (!Command.is(action) && !action.edit && !action.command && action.data !== undefined)
      action = await c.sendRequest(CodeActionResolveRequest.type, action);
    if (!Command.is(action) && action.edit)
      await vscode.workspace.applyEdit(await c.protocol2CodeConverter.asWorkspaceEdit(action.edit));
    const run = Command.is(action) ? action : action.command;
    if (run) {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Vigil: ${what}…`, cancellable: false },
        () => c.sendRequest(ExecuteCommandRequest.type, { command: run.command, arguments: run.arguments }));
      output.appendLine(`Vigil: ${what}: ${JSON.stringify(result)}`);
      // A generated test file is saved, so that the command the server reports runs it.
      if (result && typeof result.path === 'string' && typeof result.command === 'string') {
        const written = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === result.path);
        if (written?.isDirty) await written.save();
      }
      void vscode.window.showInformationMessage(`Vigil ${what.toLowerCase()}: ${describeResult(result)}`);
    }
    return;
  }
  void vscode.window.showWarningMessage(`Vigil: the server offered no ${what.toLowerCase()} action for this finding.`);
}

// Tab on an inline completion: accept it as VS Code would, then tell Vigil the inserted text is
// AI-written (however short: the server's bulk-insert rule only catches big inserts).
async function acceptInlineCompletion(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const inserted: vscode.Range[] = [];
  const listener = vscode.workspace.onDidChangeTextDocument((e) => {
    if (!editor || e.document !== editor.document) return;
    for (const change of e.contentChanges) {
      if (!change.text) continue;
      const start = change.range.start;
      inserted.push(new vscode.Range(start, e.document.positionAt(e.document.offsetAt(start) + change.text.length)));
    }
  });
  try {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
  } finally {
    listener.dispose();
  }
  if (!editor || inserted.length === 0 || !client || client.state !== State.Running) return;
  const c = client;
  await c.sendNotification('vigil/markProvenance', {
    uri: editor.document.uri.toString(),
    ranges: inserted.map((r) => c.code2ProtocolConverter.asRange(r)),
    origin: 'ai',
    tool: 'inline-completion',
  });
}

function debounce<T extends unknown[]>(fn: (...args: T) => void, ms: number): (...args: T) => void {
  let timer: NodeJS.Timeout | undefined;
  return (...args: T) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
