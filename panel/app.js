// The plugin-dynamic panel: plain browser JavaScript over the plugin's JSON API.
// URLs are relative to the page, so it works wherever the server serves it: in the web client's tab
// (/plugin-dynamic/panel?agentId=...), or under /api/agents/<id>/plugins/plugin-dynamic/panel.
// OPERATIONS ({ name: { method, path } }, paths relative to the page) is the operation table's
// routes: the server writes it before this file (src/http/panel-operations.ts).
/* global OPERATIONS, ERROR_ADVICE */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const agentId = new URLSearchParams(location.search).get('agentId');
  // The web client keeps the server's API key here (same origin, so the panel can read it).
  const CLIENT_KEY_ITEM = 'eliza-api-key-' + location.origin;
  const tokenInput = $('token');
  const serverKeyInput = $('server-key');
  forgetStoredToken();
  serverKeyInput.addEventListener('change', () => {
    sessionStorage.setItem('plugin-dynamic-server-key', serverKeyInput.value);
    refresh();
  });

  // The change token lives only in this page's memory (the field), never in storage every page of the
  // agent's origin can read. Earlier versions kept it in sessionStorage; drop what they left.
  function forgetStoredToken() {
    sessionStorage.removeItem('plugin-dynamic-token');
  }

  /* ---- theme: the client's, read from the parent page; the system's when standalone ---- */
  const PALETTE = ['--background', '--foreground', '--card', '--border', '--input', '--muted-foreground', '--primary', '--primary-foreground', '--secondary', '--destructive', '--ring'];
  function parentRoot() {
    try {
      return window.parent !== window ? window.parent.document.documentElement : null;
    } catch (e) {
      return null; // a parent on another origin cannot be read
    }
  }
  function applyTheme() {
    const root = document.documentElement;
    const parent = parentRoot();
    if (!parent) {
      root.dataset.theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
      return;
    }
    root.dataset.theme = parent.classList.contains('dark') ? 'dark' : 'light';
    const style = window.parent.getComputedStyle(parent);
    for (const name of PALETTE) {
      const value = style.getPropertyValue(name).trim();
      if (value) root.style.setProperty(name, value);
      else root.style.removeProperty(name);
    }
  }
  applyTheme();
  const observed = parentRoot();
  if (observed) new MutationObserver(applyTheme).observe(observed, { attributes: true, attributeFilter: ['class', 'style'] });
  else matchMedia('(prefers-color-scheme: dark)').addEventListener('change', applyTheme);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function notice(text, isError) {
    const n = $('notice');
    n.textContent = text;
    n.className = isError ? 'error' : '';
  }

  function serverKey() {
    return serverKeyInput.value || sessionStorage.getItem('plugin-dynamic-server-key') || localStorage.getItem(CLIENT_KEY_ITEM) || '';
  }

  function askForServerKey() {
    $('server-key-field').hidden = false;
    $('keys').open = true;
  }

  function apiUrl(path) {
    const url = new URL(path, location.href);
    if (agentId) url.searchParams.set('agentId', agentId);
    return url.href;
  }

  // One operation of the table: its body for a POST, `query` ("?q=...") for a GET.
  async function api(operation, body, query) {
    const method = operation.method;
    const path = operation.path + (query || '');
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && tokenInput.value) headers.Authorization = 'Bearer ' + tokenInput.value;
    const key = serverKey();
    if (key) headers['X-API-KEY'] = key;
    const res = await fetch(apiUrl(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const payload = await res.json().catch(() => null);
    if (payload && payload.success) return payload.data;
    // Our routes answer { success: false, error: { code, message } }; the server's own checks answer other shapes.
    const error = payload && typeof payload.error === 'object' && payload.error
      ? payload.error
      : { code: 'HTTP_' + res.status, message: (payload && (payload.message || payload.error)) || 'HTTP ' + res.status };
    if (error.code === 'SERVER_API_KEY_REQUIRED' || (res.status === 401 && error.code !== 'UNAUTHORIZED')) askForServerKey();
    if (error.code === 'UNAUTHORIZED') $('keys').open = true;
    const failure = new Error(error.code + ': ' + error.message);
    // An isolated plugin waiting for approval: the refusal carries what it asks for.
    if (error.code === 'APPROVAL_REQUIRED' && error.request) failure.request = error.request;
    throw failure;
  }

  async function act(label, fn) {
    try {
      notice(label + '...');
      await fn();
      notice(label + ': done');
    } catch (e) {
      if (e.request) waitForApproval(label, e.request);
      else notice(label + ' failed. ' + withAdvice(e.message), true);
    }
    await refresh();
  }

  /* Not a failure: the plugin waits for a person's answer in the dialog. */
  function waitForApproval(label, request) {
    notice(label + ': ' + request.packageName + ' waits for your approval: read what it asks for, then Allow or Deny.');
    openApproval(request);
  }

  /* Requests refused and not answered yet (an upgrade or replace that asks for more): each can be reviewed. */
  let renderedWaiting = '';
  function renderWaiting(requests) {
    const key = JSON.stringify(requests);
    if (key === renderedWaiting) return;
    renderedWaiting = key;
    $('waiting-approval').replaceChildren(...requests.map((r) => el('li', { 'data-waiting': r.packageName },
      el('div', { class: 'title' }, el('strong', {}, r.packageName), el('span', { class: 'muted' }, r.version), el('span', { class: 'status status-needs_configuration' }, 'waiting for approval')),
      r.diff.length ? el('div', { class: 'meta' }, 'changed: ' + r.diff.join('; ')) : null,
      el('div', { class: 'buttons' }, button('Review', () => openApproval(r))))));
  }

  /* ---- approval: what an isolated plugin asks for, Allow or Deny ---- */
  function openApproval(request) {
    const form = $('approve-plugin');
    form.hidden = false;
    form.dataset.plugin = request.packageName;
    form.dataset.digest = request.digest;
    $('approve-plugin-name').textContent = request.packageName + '@' + request.version;
    $('approve-plugin-lines').replaceChildren(...request.lines.map((line) => el('li', {}, line)));
    const changed = request.diff.length > 0 && request.previous;
    $('approve-plugin-diff').hidden = !changed;
    $('approve-plugin-previous').textContent = request.previous ? request.previous.version : '';
    $('approve-plugin-diff-lines').replaceChildren(...request.diff.map((line) => el('li', { class: line[0] === '+' ? 'added' : line[0] === '-' ? 'removed' : 'changed' }, line)));
    $('approve-plugin-digest').textContent = 'Package digest ' + request.digest.slice(0, 28) + (request.reason === 'content' && !request.diff.length ? ' (new content, same permissions)' : '');
    form.scrollIntoView({ block: 'nearest' });
  }

  $('approve-plugin').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    const plugin = form.dataset.plugin;
    const digest = form.dataset.digest;
    form.hidden = true;
    act('Allow ' + plugin, () => api(OPERATIONS.approve, { plugin, digest, activate: true, channel: 'panel' }));
  });
  $('approve-plugin-deny').addEventListener('click', () => {
    const form = $('approve-plugin');
    form.hidden = true;
    notice('Not approved: ' + form.dataset.plugin + ' stays inactive.');
  });

  /* The advice for an error, in the panel's words (ERROR_ADVICE comes from the error catalogue). */
  function withAdvice(message) {
    const code = /^([A-Z_]+): /.exec(message);
    const advice = code && typeof ERROR_ADVICE === 'object' ? ERROR_ADVICE[code[1]] : undefined;
    return advice ? message + ' ' + advice : message;
  }

  /* How many matching registry entries were not offered (no usable 1.x release). */
  function hiddenResults(n) {
    return el('li', { class: 'muted', 'data-hidden': String(n) }, n + (n === 1 ? ' more entry matches' : ' more entries match') + ' but ' + (n === 1 ? 'has' : 'have') + ' no usable ElizaOS 1.x release, so ' + (n === 1 ? 'it is' : 'they are') + ' not offered.');
  }

  /* Install, then say what the new plugin still needs, instead of a bare "done". */
  async function installFrom(source) {
    try {
      notice('Install ' + source + '...');
      const view = await api(OPERATIONS.install, { source, activate: true });
      notice(installedText(view));
    } catch (e) {
      if (e.request) waitForApproval('Installed ' + source, e.request);
      else notice('Install ' + source + ' failed. ' + withAdvice(e.message), true);
    }
    await refresh();
  }

  function installedText(view) {
    if (view.missingSettings && view.missingSettings.length) {
      return 'Installed ' + view.packageName + '; it needs ' + view.missingSettings.join(', ') + ' before it can load: press Configure on its card, then Activate.';
    }
    return 'Installed ' + view.packageName + ': it is ' + String(view.status).replace('_', ' ') + '.';
  }

  /* Create: the notice follows the job (queued, running, done or failed) instead of saying "done" once it is queued. */
  let followedJob = null;
  async function createJob(body) {
    if ($('replace').checked) body.replace = true;
    try {
      notice('Create...');
      const answer = await api(OPERATIONS.create, body);
      followedJob = answer.job.id;
      notice(jobNotice(answer.job));
    } catch (e) {
      notice('Create failed. ' + withAdvice(e.message), true);
    }
    await refresh();
  }

  function jobNotice(job) {
    const id = ' (job #' + job.id.slice(0, 8) + ')';
    if (job.status === 'queued') return 'Create ' + job.pluginName + ': queued' + id + '; it appears under Jobs.';
    if (job.status === 'running') return 'Create ' + job.pluginName + ': running' + id + ', ' + (job.phase || 'starting') + ', ' + job.progress + '%.';
    if (job.status === 'succeeded') {
      const r = job.result || {};
      const needs = r.missingSettings && r.missingSettings.length
        ? '; it needs ' + r.missingSettings.join(', ') + ' before it can load: press Configure on its card, then Activate.'
        : ': ' + r.packageName + ' is ' + String(r.pluginStatus).replace('_', ' ') + '.';
      return 'Create ' + job.pluginName + ': done' + id + needs;
    }
    return 'Create ' + job.pluginName + ': ' + job.status + id + (job.error ? '. ' + withAdvice(job.error.code + ': ' + job.error.message) : '.');
  }

  function followJobNotice(jobs) {
    const job = followedJob && jobs.find((j) => j.id === followedJob);
    if (!job) return;
    notice(jobNotice(job), job.status === 'failed' || job.status === 'cancelled');
    if (job.status !== 'queued' && job.status !== 'running') followedJob = null;
  }

  function statusBadge(status) {
    return el('span', { class: 'status status-' + status }, status.replace('_', ' '));
  }

  /* ---- installed plugins ---- */
  let confirmingUninstall = null;
  let lastPlugins = [];

  function button(label, onclick, cls) {
    return el('button', { type: 'button', class: cls, onclick }, label);
  }

  function pluginButtons(p) {
    const name = p.packageName;
    if (confirmingUninstall === name) {
      return [
        el('span', {}, 'Uninstall ' + name + '? Its files and settings are removed.'),
        button('Yes, uninstall', () => {
          confirmingUninstall = null;
          act('Uninstall ' + name, () => api(OPERATIONS.uninstall, { plugin: name }));
        }, 'danger confirm'),
        button('Keep it', () => {
          confirmingUninstall = null;
          renderInstalled(lastPlugins, true);
        }),
      ];
    }
    const buttons = [];
    if (p.status === 'active') buttons.push(button('Deactivate', () => act('Deactivate ' + name, () => api(OPERATIONS.deactivate, { plugin: name }))));
    else if (p.status !== 'needs_configuration') buttons.push(button('Activate', () => act('Activate ' + name, () => api(OPERATIONS.activate, { plugin: name }))));
    if (p.status === 'active' || p.status === 'inactive') buttons.push(button('Unload', () => act('Unload ' + name, () => api(OPERATIONS.unload, { plugin: name }))));
    if (p.settings.length) buttons.push(button('Configure', () => openConfigure(p)));
    buttons.push(...isolationButtons(p));
    buttons.push(button('Uninstall', () => {
      confirmingUninstall = name;
      renderInstalled(lastPlugins, true);
    }, 'danger'));
    return buttons;
  }

  /* Where a plugin's code runs, and the control to change it (an active plugin is reloaded there). */
  function setIsolation(name, mode, label) {
    return act(label + ' ' + name, () => isolationRequest(name, mode));
  }

  /* Moving a plugin in-process needs a person: its name typed and the code the agent printed on its terminal. */
  async function isolationRequest(name, mode) {
    try {
      return await api(OPERATIONS.isolation, { plugin: name, mode });
    } catch (e) {
      if (/^CONFIRMATION_REQUIRED:/.test(e.message)) openInProcessConfirm(name, mode);
      throw e;
    }
  }

  function openInProcessConfirm(name, mode) {
    const form = $('confirm-in-process');
    form.hidden = false;
    form.dataset.plugin = name;
    form.dataset.mode = mode;
    form.reset();
    $('confirm-in-process-name').textContent = name;
    form.scrollIntoView({ block: 'nearest' });
  }

  $('confirm-in-process').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    const plugin = form.dataset.plugin;
    const confirm = { name: form.elements.name.value, code: form.elements.code.value };
    form.reset();
    form.hidden = true;
    act('Run in-process ' + plugin, () => api(OPERATIONS.isolation, { plugin, mode: form.dataset.mode, confirm }));
  });
  $('confirm-in-process-cancel').addEventListener('click', () => { $('confirm-in-process').hidden = true; });

  function isolationButtons(p) {
    const name = p.packageName;
    const buttons = p.isolation === 'isolated'
      ? [button('Run in-process', () => setIsolation(name, 'in-process', 'Run in-process'), 'isolation')]
      : [button('Isolate', () => setIsolation(name, 'isolated', 'Isolate'), 'isolation')];
    if (p.isolationDecidedBy === 'override') buttons.push(button('Default for ' + p.trust, () => setIsolation(name, 'default', 'Default isolation for'), 'isolation'));
    return buttons;
  }

  function isolationText(p) {
    return 'runs ' + p.isolation + ' (' + (p.isolationDecidedBy === 'override' ? 'override' : 'default for ' + p.trust) + ')';
  }

  let renderedPlugins = '';
  function renderInstalled(plugins, force) {
    lastPlugins = plugins;
    const key = JSON.stringify([plugins, confirmingUninstall]);
    if (!force && key === renderedPlugins) return; // unchanged: keep the page still under the pointer
    renderedPlugins = key;
    const list = $('installed');
    list.replaceChildren();
    if (!plugins.length) list.append(el('li', { class: 'muted' }, 'No plugins installed yet. Search the registry below.'));
    for (const p of plugins) {
      const meta = [
        el('span', { class: 'trust' }, 'trust: ' + p.trust),
        el('span', { class: 'signature' + (p.signatures && p.signatures.signature === 'invalid' ? ' untrusted' : ''), 'data-signature': p.signatures ? p.signatures.signature : 'unchecked' }, p.signature),
        el('span', { class: 'isolation isolation-' + p.isolation + (p.isolation === 'in-process' && p.trust !== 'registry' ? ' untrusted' : ''), title: p.isolation === 'isolated' ? 'in a sandboxed host process of its own' : "in the agent's own process" }, isolationText(p)),
      ];
      if (p.missingSettings.length) meta.push(el('span', {}, 'needs: ' + p.missingSettings.join(', ')));
      list.append(
        el('li', { 'data-plugin': p.packageName },
          el('div', { class: 'title' }, el('strong', {}, p.packageName), el('span', { class: 'muted' }, p.version), statusBadge(p.status)),
          el('div', { class: 'meta' }, ...meta),
          p.status === 'error' && p.lastError ? el('div', { class: 'failures' }, p.lastError.message) : null,
          el('div', { class: 'buttons' }, ...pluginButtons(p)),
          tryActionBox(p),
        ),
      );
    }
  }

  /* Try an action of an active plugin with a message, without a model: the answer is the action's own. */
  const trials = {};
  function tryActionBox(p) {
    if (p.status !== 'active' || !p.components || !p.components.actions.length) return null;
    const name = p.packageName;
    const select = el('select', { 'aria-label': 'Action of ' + name, name: 'action' }, ...p.components.actions.map((a) => el('option', { value: a }, a)));
    const input = el('input', { type: 'text', name: 'message', 'aria-label': 'Message for the action', placeholder: 'a message, e.g. {"text":"buy milk"}' });
    const trial = trials[name];
    if (trial) {
      select.value = trial.action;
      input.value = trial.message;
    }
    const output = trial ? el('div', { class: trial.success ? 'trial-answer' : 'trial-answer failures', 'data-trial': trial.action }, trial.action + ': ' + trial.text) : null;
    const form = el('form', { class: 'try-action', 'data-try': name },
      el('div', { class: 'row' }, select, input, el('button', { type: 'submit' }, 'Run')), output);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const action = select.value;
      const message = input.value;
      try {
        notice('Run ' + action + '...');
        const answer = await api(OPERATIONS.runAction, { plugin: name, action, message });
        trials[name] = { action: answer.action, message, success: answer.success, text: answer.text };
        notice('Run ' + action + ': ' + (answer.success ? 'answered' : 'failed') + '.', !answer.success);
      } catch (e) {
        trials[name] = { action, message, success: false, text: withAdvice(e.message) };
        notice('Run ' + action + ' failed. ' + withAdvice(e.message), true);
      }
      renderInstalled(lastPlugins, true);
    });
    return form;
  }

  function openConfigure(plugin) {
    const form = $('configure');
    form.hidden = false;
    form.dataset.plugin = plugin.packageName;
    $('configure-name').textContent = plugin.packageName;
    const fields = $('configure-fields');
    fields.replaceChildren();
    for (const s of plugin.settings) {
      fields.append(el('label', {}, s.name + (s.required ? ' (required)' : '') + (s.set ? ' - set' : ''),
        el('input', { name: s.name, type: s.sensitive ? 'password' : 'text', autocomplete: 'off', placeholder: s.description || '' })));
    }
    form.scrollIntoView({ block: 'nearest' });
  }

  $('configure').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    const settings = {};
    for (const input of form.querySelectorAll('input')) if (input.value) settings[input.name] = input.value;
    form.hidden = true;
    act('Configure ' + form.dataset.plugin, () => api(OPERATIONS.configure, { plugin: form.dataset.plugin, settings }));
  });
  $('configure-cancel').addEventListener('click', () => { $('configure').hidden = true; });

  /* ---- registry ---- */
  $('search').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const list = $('results');
    list.replaceChildren(el('li', { class: 'muted' }, 'Searching...'));
    try {
      const answer = await api(OPERATIONS.search, undefined, '?q=' + encodeURIComponent($('query').value) + '&limit=10');
      list.replaceChildren();
      if (answer.warning) list.append(el('li', { class: 'muted' }, answer.warning));
      if (!answer.hits.length) list.append(el('li', { class: 'muted' }, 'No ElizaOS 1.x plugin matches.'));
      if (answer.hidden) list.append(hiddenResults(answer.hidden));
      for (const hit of answer.hits) {
        const name = hit.entry.name;
        list.append(el('li', { 'data-result': name },
          el('div', { class: 'title' }, el('strong', {}, name)),
          el('div', { class: 'meta' }, hit.entry.description || ''),
          el('div', { class: 'buttons' }, button('Install', () => installFrom(name)))));
      }
      // The fleet's stored builds (an agent on PostgreSQL): generated, isolated, installed by their fleet: source.
      let builds = [];
      try {
        builds = await api(OPERATIONS.fleetSearch, undefined, '?q=' + encodeURIComponent($('query').value) + '&limit=10');
      } catch (e) {
        list.append(el('li', { class: 'muted' }, 'The fleet\'s builds could not be searched. ' + withAdvice(e.message)));
      }
      for (const b of builds) {
        const source = 'fleet:' + b.packageName + '@' + b.metadata.version;
        const tests = b.metadata.tests ? ' · tests ' + b.metadata.tests.passed + '/' + b.metadata.tests.total : '';
        list.append(el('li', { 'data-fleet-result': b.packageName },
          el('div', { class: 'title' }, el('strong', {}, b.packageName + '@' + b.metadata.version), ' ', el('span', { class: 'muted' }, 'fleet build')),
          el('div', { class: 'meta' }, b.description),
          el('div', { class: 'meta' }, 'trust: ' + b.metadata.trust + ' · ' + b.metadata.isolation + tests + ' · sha256 ' + b.sha256.slice(0, 12)),
          el('div', { class: 'buttons' }, button('Install', () => installFrom(source)))));
      }
    } catch (e) {
      list.replaceChildren();
      notice('Search failed. ' + withAdvice(e.message), true);
    }
  });

  $('install-source').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const source = $('source').value.trim();
    if (source) installFrom(source);
  });

  /* ---- creation ---- */
  $('describe').addEventListener('submit', (ev) => {
    ev.preventDefault();
    createJob({ description: $('description').value });
  });
  $('spec').addEventListener('submit', (ev) => {
    ev.preventDefault();
    let specification;
    try {
      specification = JSON.parse($('specification').value);
    } catch (e) {
      notice('The specification is not valid JSON: ' + e.message, true);
      return;
    }
    createJob({ specification });
  });

  function clock(iso) {
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function seconds(ms) {
    return (ms / 1000).toFixed(1) + ' s';
  }

  function jobMeta(job) {
    const meta = [
      el('span', { class: 'id', title: job.id }, '#' + job.id.slice(0, 8)),
      el('span', { title: 'created ' + job.createdAt }, clock(job.createdAt)),
      el('span', {}, 'iteration ' + job.iteration + '/' + job.maxIterations),
    ];
    if (job.tests) meta.push(el('span', {}, 'tests ' + job.tests.passed + '/' + job.tests.total + ' passed'));
    if (job.startedAt && job.finishedAt) meta.push(el('span', {}, 'took ' + seconds(Date.parse(job.finishedAt) - Date.parse(job.startedAt))));
    if (job.timing) meta.push(el('span', { class: 'timing' }, timingText(job.timing)));
    meta.push(el('span', {}, job.generator));
    return meta;
  }

  function timingText(t) {
    return 'model ' + seconds(t.modelMs) + ' (' + t.modelCalls + (t.modelCalls === 1 ? ' call' : ' calls') + '), tools ' + seconds(t.toolMs);
  }

  /* A finished template job: which components are working recipes and which are scaffolds that say so. */
  function jobComponents(result) {
    if (!result || !result.components || !result.components.length) return null;
    const working = result.components.filter((c) => c.working).length;
    const rows = result.components.map((c) =>
      el('li', { 'data-component': c.name, 'data-working': String(c.working), title: c.detail },
        el('span', { class: c.working ? 'working' : 'scaffold' }, c.working ? 'working' : 'scaffold'), ' ',
        el('code', {}, c.name), ' ',
        el('span', { class: 'muted' }, c.kind + (c.working ? ', ' + c.recipe : '')),
        c.working ? null : el('div', { class: 'muted' }, c.detail)));
    const parts = [
      el('div', { class: 'meta' }, working + ' of ' + result.components.length + ' components working'
        + (working < result.components.length ? '; scaffolds say they are not implemented yet' : '')),
      el('ul', { class: 'components' }, ...rows),
    ];
    if (result.unusedDependencies && result.unusedDependencies.length) {
      parts.push(el('div', { class: 'meta unused' }, 'unused dependencies: ' + result.unusedDependencies.join(', ')));
    }
    return el('div', { class: 'job-components' }, ...parts);
  }

  let renderedJobs = '';
  function renderJobs(jobs) {
    const key = JSON.stringify(jobs.slice(0, 10));
    if (key === renderedJobs) return;
    renderedJobs = key;
    const list = $('jobs');
    const open = new Set([...list.querySelectorAll('li[data-job] details[open]')].map((d) => d.closest('li').dataset.job));
    list.replaceChildren();
    if (!jobs.length) list.append(el('li', { class: 'muted' }, 'No creation jobs yet.'));
    for (const job of jobs.slice(0, 10)) {
      const running = job.status === 'running';
      const item = el('li', { 'data-job': job.id, 'data-status': job.status },
        el('div', { class: 'title' }, el('strong', {}, job.pluginName), statusBadge(job.status)),
        el('div', { class: 'meta' }, ...jobMeta(job)),
        running ? el('div', { class: 'meta' }, (job.phase || '') + ' ', el('progress', { max: 100, value: job.progress, 'aria-label': 'progress' }), ' ' + job.progress + '%') : null,
        job.error ? el('div', { class: 'failures' }, job.error.code + ': ' + job.error.message) : null,
        jobComponents(job.result),
        running || job.status === 'queued'
          ? el('div', { class: 'buttons' }, button('Cancel', () => act('Cancel job ' + job.id.slice(0, 8), () => api(OPERATIONS.cancel, { id: job.id }))))
          : null,
      );
      const failed = job.iterations.filter((i) => i.failedAt);
      if (failed.length) {
        const details = el('details', { open: open.has(job.id) }, el('summary', {}, failed.length + ' failed iteration(s)'));
        for (const it of failed) {
          const lines = it.diagnostics.slice(0, 5).map((d) => el('li', {}, (d.file ? d.file + (d.line ? ':' + d.line : '') + ' ' : '') + (d.code ? '[' + d.code + '] ' : '') + d.message));
          details.append(el('div', { class: 'failures' }, 'Iteration ' + it.iteration + ' failed at ' + it.failedAt, el('ul', {}, ...lines)));
        }
        item.append(details);
      }
      // The review's findings no failing test confirmed: shown as advice, never blocking.
      const advice = (((job.validation || {}).review || {}).findings || []).filter((f) => f.status !== 'confirmed');
      if (advice.length) {
        const lines = advice.slice(0, 5).map((f) => el('li', {}, f.kind + (f.severity ? ', ' + f.severity : '') + ': ' + f.message + (f.status === 'unconfirmed' ? ' (not confirmed: ' + (f.reason || 'its test did not show it') + ')' : '')));
        item.append(el('details', { class: 'advice' }, el('summary', {}, advice.length + ' review advice (not blocking)'), el('ul', {}, ...lines)));
      }
      list.append(item);
    }
  }

  async function refresh() {
    try {
      const [plugins, jobs, waiting] = await Promise.all([api(OPERATIONS.list), api(OPERATIONS.jobs), api(OPERATIONS.approvals)]);
      renderInstalled(plugins);
      renderWaiting(waiting);
      renderJobs(jobs);
      followJobNotice(jobs);
      if (/^Could not load/.test($('notice').textContent)) notice('');
    } catch (e) {
      notice('Could not load: ' + e.message, true);
    }
  }

  refresh();
  setInterval(refresh, 1500);
})();
