// The plugin-dynamic panel: plain browser JavaScript over the plugin's JSON API.
// URLs are relative, so it works wherever the server mounts the plugin (e.g. inside the web client's iframe).
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const tokenInput = $('token');
  tokenInput.value = sessionStorage.getItem('plugin-dynamic-token') || '';
  tokenInput.addEventListener('change', () => sessionStorage.setItem('plugin-dynamic-token', tokenInput.value));

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function notice(text, isError) {
    const n = $('notice');
    n.textContent = text;
    n.className = isError ? 'error' : '';
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && tokenInput.value) headers.Authorization = 'Bearer ' + tokenInput.value;
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const payload = await res.json().catch(() => ({ success: false, error: { code: 'INTERNAL', message: 'HTTP ' + res.status } }));
    if (!payload.success) throw new Error(payload.error.code + ': ' + payload.error.message);
    return payload.data;
  }

  async function act(label, fn) {
    try {
      notice(label + '...');
      await fn();
      notice(label + ': done');
    } catch (e) {
      notice(label + ' failed. ' + e.message, true);
    }
    await refresh();
  }

  function statusCell(status) {
    return el('span', { class: 'status status-' + status }, status.replace('_', ' '));
  }

  function renderInstalled(plugins) {
    const body = $('installed').tBodies[0];
    body.replaceChildren();
    if (!plugins.length) body.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No plugins installed yet. Search the registry below.')));
    for (const p of plugins) {
      const name = p.packageName;
      const buttons = [];
      if (p.status === 'active') {
        buttons.push(el('button', { type: 'button', onclick: () => act('Deactivate ' + name, () => api('POST', 'plugins/deactivate', { plugin: name })) }, 'Deactivate'));
      } else if (p.status !== 'needs_configuration') {
        buttons.push(el('button', { type: 'button', onclick: () => act('Activate ' + name, () => api('POST', 'plugins/activate', { plugin: name })) }, 'Activate'));
      }
      if (p.status === 'active' || p.status === 'inactive') {
        buttons.push(el('button', { type: 'button', onclick: () => act('Unload ' + name, () => api('POST', 'plugins/unload', { plugin: name })) }, 'Unload'));
      }
      if (p.settings.length) buttons.push(el('button', { type: 'button', onclick: () => openConfigure(p) }, 'Configure'));
      const error = p.status === 'error' && p.lastError ? el('div', { class: 'failures' }, p.lastError.message) : null;
      body.append(
        el('tr', { 'data-plugin': name },
          el('td', {}, name, ' ', el('span', { class: 'muted' }, p.version), error),
          el('td', {}, statusCell(p.status)),
          el('td', {}, p.missingSettings.join(', ') || '-'),
          el('td', {}, p.trust),
          el('td', {}, ...buttons.flatMap((b) => [b, ' '])),
        ),
      );
    }
  }

  function openConfigure(plugin) {
    const form = $('configure');
    form.hidden = false;
    form.dataset.plugin = plugin.packageName;
    $('configure-name').textContent = plugin.packageName;
    const fields = $('configure-fields');
    fields.replaceChildren();
    for (const s of plugin.settings) {
      fields.append(el('div', {}, el('label', {}, s.name + (s.required ? ' (required)' : '') + (s.set ? ' - set' : '') + ' ',
        el('input', { name: s.name, type: s.sensitive ? 'password' : 'text', autocomplete: 'off', placeholder: s.description || '' }))));
    }
  }

  $('configure').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    const settings = {};
    for (const input of form.querySelectorAll('input')) if (input.value) settings[input.name] = input.value;
    form.hidden = true;
    act('Configure ' + form.dataset.plugin, () => api('POST', 'plugins/configure', { plugin: form.dataset.plugin, settings }));
  });
  $('configure-cancel').addEventListener('click', () => { $('configure').hidden = true; });

  $('search').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const list = $('results');
    list.replaceChildren(el('li', { class: 'muted' }, 'Searching...'));
    try {
      const answer = await api('GET', 'registry/search?q=' + encodeURIComponent($('query').value) + '&limit=10');
      list.replaceChildren();
      if (answer.warning) list.append(el('li', { class: 'muted' }, answer.warning));
      if (!answer.hits.length) list.append(el('li', { class: 'muted' }, 'No plugin matches.'));
      for (const hit of answer.hits) {
        const name = hit.entry.name;
        list.append(el('li', { 'data-result': name }, el('strong', {}, name), ' - ', hit.entry.description || '', ' ',
          el('button', { type: 'button', onclick: () => act('Install ' + name, () => api('POST', 'plugins/install', { source: name, activate: true })) }, 'Install')));
      }
    } catch (e) {
      list.replaceChildren();
      notice('Search failed. ' + e.message, true);
    }
  });

  $('describe').addEventListener('submit', (ev) => {
    ev.preventDefault();
    act('Create', () => api('POST', 'jobs', { description: $('description').value }));
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
    act('Create', () => api('POST', 'jobs', { specification }));
  });

  function renderJobs(jobs) {
    const list = $('jobs');
    list.replaceChildren();
    if (!jobs.length) list.append(el('li', { class: 'muted' }, 'No creation jobs yet.'));
    for (const job of jobs.slice(0, 10)) {
      const item = el('li', { 'data-job': job.id, 'data-status': job.status },
        el('strong', {}, job.pluginName), ' ', statusCell(job.status), ' ',
        job.status === 'running' ? el('span', {}, (job.phase || '') + ', iteration ' + job.iteration + ' ', el('progress', { max: 100, value: job.progress, 'aria-label': 'progress' }), ' ' + job.progress + '%') : null,
        job.status === 'running' || job.status === 'queued'
          ? el('button', { type: 'button', onclick: () => act('Cancel job', () => api('POST', 'jobs/cancel', { id: job.id })) }, 'Cancel')
          : null,
        job.error ? el('div', { class: 'failures' }, job.error.code + ': ' + job.error.message) : null,
      );
      const failed = job.iterations.filter((i) => i.failedAt);
      if (failed.length) {
        const details = el('details', {}, el('summary', {}, failed.length + ' failed iteration(s)'));
        for (const it of failed) {
          const lines = it.diagnostics.slice(0, 5).map((d) => el('li', {}, (d.file ? d.file + (d.line ? ':' + d.line : '') + ' ' : '') + (d.code ? '[' + d.code + '] ' : '') + d.message));
          details.append(el('div', { class: 'failures' }, 'Iteration ' + it.iteration + ' failed at ' + it.failedAt, el('ul', {}, ...lines)));
        }
        item.append(details);
      }
      list.append(item);
    }
  }

  async function refresh() {
    try {
      const [plugins, jobs] = await Promise.all([api('GET', 'plugins'), api('GET', 'jobs')]);
      renderInstalled(plugins);
      renderJobs(jobs);
    } catch (e) {
      notice('Could not load: ' + e.message, true);
    }
  }

  refresh();
  setInterval(refresh, 1500);
})();
