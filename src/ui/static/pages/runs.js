// The Runs pages: #/runs (the history, filters, "Run now" per job) and #/run/<id> (one run: its steps,
// a build's nodes on a timeline, errors with their SQL, the log paged from the end and followed live
// over server-sent events while the run runs). Text is always text: every element comes from h().
import { getJson, h, postJson } from '../api.js';

const STATUSES = ['queued', 'running', 'success', 'failed', 'cancelled', 'abandoned'];
const ACTIVE = new Set(['queued', 'running']);
const RETRYABLE = new Set(['failed', 'cancelled', 'abandoned']);
const LOG_PAGE = 500;
const LIST_REFRESH_MS = 3000;

export async function render(container, page, args) {
  return page === 'run' ? renderRun(container, args[0] ?? '') : renderList(container);
}

// ---- #/runs -------------------------------------------------------------------------------------

async function renderList(container) {
  const { jobs } = await getJson('/ui/api/jobs');
  const filter = { job: '', status: '' };
  const table = h('table', { id: 'runs' });
  const more = h('div', { class: 'runs-more' });
  const message = h('p', { class: 'error', id: 'runs-message' });
  let timer;
  let disposed = false;

  const query = (before) => {
    const params = new URLSearchParams();
    if (filter.job) params.set('job', filter.job);
    if (filter.status) params.set('status', filter.status);
    if (before) params.set('before', before);
    return `/ui/api/runs?${params}`;
  };
  const header = () =>
    h(
      'tr',
      {},
      ['run', 'job', 'trigger', 'status', 'duration', 'started'].map((name) => h('th', {}, name)),
    );
  const showMore = (nextBefore) => {
    more.replaceChildren(
      nextBefore
        ? h(
            'button',
            {
              type: 'button',
              id: 'runs-older',
              onclick: async () => {
                const page = await getJson(query(nextBefore));
                table.append(...page.runs.map(runRow));
                showMore(page.next_before);
              },
            },
            'Older runs',
          )
        : '',
    );
  };
  const load = async () => {
    clearTimeout(timer);
    const page = await getJson(query());
    if (disposed) return;
    table.replaceChildren(header(), ...page.runs.map(runRow));
    if (page.runs.length === 0)
      table.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No runs yet.')));
    showMore(page.next_before);
    // While something runs, the list follows it (a page of older runs stays as it is).
    if (page.runs.some((run) => ACTIVE.has(run.status)))
      timer = setTimeout(() => load().catch(() => undefined), LIST_REFRESH_MS);
  };

  const select = (id, values, key) =>
    h(
      'select',
      {
        id,
        onchange: (event) => {
          filter[key] = event.target.value;
          load().catch(showError);
        },
      },
      h('option', { value: '' }, key === 'job' ? 'all jobs' : 'any status'),
      values.map((value) => h('option', { value }, value)),
    );
  const showError = (error) => {
    message.textContent = error.message;
  };

  container.replaceChildren(
    h(
      'div',
      { class: 'runs-page' },
      h('h1', {}, 'Runs'),
      h(
        'div',
        { class: 'runs-jobs' },
        jobs.map((job) => runNowControl(job, showError)),
      ),
      h(
        'div',
        { class: 'runs-filters' },
        h(
          'label',
          {},
          'Job ',
          select(
            'filter-job',
            jobs.map((job) => job.name),
            'job',
          ),
        ),
        h('label', {}, 'Status ', select('filter-status', STATUSES, 'status')),
      ),
      message,
      table,
      more,
    ),
  );
  await load();
  return {
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}

function runNowControl(job, showError) {
  const partition = job.partitioned
    ? h('input', { type: 'date', 'aria-label': `partition of ${job.name}` })
    : undefined;
  return h(
    'span',
    { class: 'runs-job' },
    partition,
    h(
      'button',
      {
        type: 'button',
        class: 'run-now',
        'data-job': job.name,
        title: job.description ?? job.steps.join(' → '),
        onclick: async (event) => {
          event.target.disabled = true;
          try {
            const body = partition?.value ? { partition: partition.value } : {};
            const { run } = await postJson(`/ui/api/jobs/${encodeURIComponent(job.name)}/run`, body);
            location.hash = `#/run/${encodeURIComponent(run)}`;
          } catch (error) {
            showError(error);
          } finally {
            event.target.disabled = false;
          }
        },
      },
      `Run now: ${job.name}`,
    ),
  );
}

function runRow(run) {
  return h(
    'tr',
    { 'data-run': run.id },
    h('td', {}, h('a', { href: `#/run/${encodeURIComponent(run.id)}` }, run.id)),
    h('td', {}, run.job, run.partition ? h('span', { class: 'muted' }, ` ${run.partition}`) : ''),
    h('td', {}, triggerText(run.trigger)),
    h('td', {}, h('span', { class: `status-${run.status}` }, run.status)),
    h('td', {}, formatDuration(run.duration_ms)),
    h('td', {}, run.startedAt ? formatTime(run.startedAt) : '—'),
  );
}

// ---- #/run/<id> ---------------------------------------------------------------------------------

async function renderRun(container, id) {
  const base = `/ui/api/runs/${encodeURIComponent(id)}`;
  const [{ run }, tail] = await Promise.all([getJson(base), getJson(`${base}/log?tail=1&limit=${LOG_PAGE}`)]);
  const summary = h('div', { class: 'run-summary' });
  const log = h('div', { id: 'log', class: 'run-log', role: 'log' });
  const earlier = h('div', { class: 'run-log-earlier' });
  const message = h('p', { class: 'error', id: 'run-message' });
  let firstLine = tail.offset;
  /** Lines the page has, counted from the log's start: a live line with a smaller index is a repeat. */
  let nextLine = tail.offset + tail.lines.length;
  let source;
  let refreshing;
  let disposed = false;

  const draw = (record) => {
    summary.replaceChildren(...runSummary(record, { cancel, retry }), ...record.steps.map(stepView));
  };
  const refresh = () => {
    refreshing ??= getJson(base)
      .then(({ run: record }) => {
        if (!disposed) draw(record);
      })
      .catch(() => undefined)
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };
  async function cancel() {
    message.textContent = '';
    await postJson(`${base}/cancel`).catch((error) => {
      message.textContent = error.message;
    });
    await refresh();
  }
  async function retry() {
    message.textContent = '';
    try {
      const { run: next } = await postJson(`${base}/retry`);
      location.hash = `#/run/${encodeURIComponent(next)}`;
    } catch (error) {
      message.textContent = error.message;
    }
  }

  const appendLines = (lines, live) => {
    const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.append(...lines.map((line) => logLine(line, live)));
    if (stick) log.scrollTop = log.scrollHeight;
  };
  const showEarlier = () => {
    earlier.replaceChildren(
      firstLine > 0
        ? h(
            'button',
            {
              type: 'button',
              id: 'load-earlier',
              onclick: async () => {
                const from = Math.max(0, firstLine - LOG_PAGE);
                const page = await getJson(`${base}/log?offset=${from}&limit=${firstLine - from}`);
                const height = log.scrollHeight;
                log.prepend(...page.lines.map((line) => logLine(line, false)));
                log.scrollTop += log.scrollHeight - height;
                firstLine = page.offset;
                showEarlier();
              },
            },
            `Load earlier (${firstLine} more)`,
          )
        : '',
    );
  };

  draw(run);
  appendLines(tail.lines, false);
  showEarlier();
  container.replaceChildren(
    h(
      'div',
      { class: 'run-page' },
      h('p', {}, h('a', { href: '#/runs' }, '← Runs')),
      message,
      summary,
      h('h2', {}, 'Log'),
      earlier,
      log,
    ),
  );
  log.scrollTop = log.scrollHeight;

  if (ACTIVE.has(run.status)) {
    source = new EventSource(`${base}/events?after=${nextLine}`);
    source.addEventListener('log', (event) => {
      const line = JSON.parse(event.data);
      if (line.index < nextLine) return;
      nextLine = line.index + 1;
      appendLines([line], true);
    });
    source.addEventListener('step', () => refresh());
    source.addEventListener('status', () => refresh());
    source.addEventListener('end', () => {
      source.close();
      refresh();
    });
  }
  return {
    dispose() {
      disposed = true;
      source?.close();
    },
  };
}

function runSummary(run, actions) {
  const buttons = [];
  if (ACTIVE.has(run.status))
    buttons.push(h('button', { type: 'button', id: 'cancel', onclick: actions.cancel }, 'Cancel'));
  if (RETRYABLE.has(run.status))
    buttons.push(h('button', { type: 'button', id: 'retry', onclick: actions.retry }, 'Retry'));
  return [
    h('h1', {}, `${run.job} `, h('span', { class: 'muted' }, run.id)),
    h(
      'dl',
      { class: 'run-meta' },
      h('dt', {}, 'status'),
      h('dd', {}, h('span', { id: 'run-status', class: `status-${run.status}` }, run.status)),
      h('dt', {}, 'trigger'),
      h('dd', {}, triggerText(run.trigger)),
      run.partition ? [h('dt', {}, 'partition'), h('dd', {}, run.partition)] : '',
      h('dt', {}, 'attempt'),
      h(
        'dd',
        {},
        String(run.attempt),
        run.retryOf
          ? [' (retries ', h('a', { href: `#/run/${encodeURIComponent(run.retryOf)}` }, run.retryOf), ')']
          : '',
      ),
      h('dt', {}, 'queued'),
      h('dd', {}, formatTime(run.queuedAt)),
      h('dt', {}, 'started'),
      h('dd', {}, run.startedAt ? formatTime(run.startedAt) : '—'),
      h('dt', {}, 'duration'),
      h('dd', {}, formatDuration(run.duration_ms)),
      run.nextAttemptAt ? [h('dt', {}, 'next attempt'), h('dd', {}, formatTime(run.nextAttemptAt))] : '',
    ),
    h('div', { class: 'run-actions' }, buttons),
    run.error
      ? h(
          'div',
          { class: 'run-error' },
          h(
            'strong',
            {},
            run.error.step !== undefined ? `Step ${run.error.step + 1} failed` : 'Failed',
            run.error.node ? ` at ${run.error.node}` : '',
          ),
          h('pre', {}, run.error.message),
        )
      : '',
    h('h2', {}, 'Steps'),
  ];
}

function stepView(step) {
  const failedNodes = (step.nodes ?? []).filter((node) => node.status === 'error' || node.status === 'fail');
  return h(
    'section',
    { class: 'run-step', 'data-step': step.index },
    h(
      'h3',
      {},
      `${step.index + 1}. `,
      h('code', {}, step.command),
      ' ',
      h('span', { class: `status-${step.status}` }, step.status),
      h(
        'span',
        { class: 'muted' },
        ` ${formatDuration(step.duration_ms)}`,
        step.exit_code !== null ? ` · exit ${step.exit_code}` : '',
      ),
    ),
    step.error ? h('pre', { class: 'error' }, step.error) : '',
    step.nodes && step.nodes.length > 0 ? timeline(step) : '',
    failedNodes.map((node) =>
      h(
        'div',
        { class: 'node-error' },
        h('strong', {}, node.unique_id),
        node.error?.file
          ? h(
              'span',
              { class: 'muted' },
              ` ${node.error.file}${node.error.line ? `:${node.error.line}` : ''}`,
            )
          : '',
        h('pre', { class: 'error' }, node.message ?? node.status),
        node.error?.hint ? h('p', { class: 'muted' }, node.error.hint) : '',
        node.error?.failed_sql ? h('pre', { class: 'sql' }, node.error.failed_sql) : '',
      ),
    ),
  );
}

/** The build's nodes as bars: where each started within the step, and for how long. */
function timeline(step) {
  const spans = step.nodes.map((node) => {
    const start = node.started_at ? Date.parse(node.started_at) : Number.NaN;
    return { node, start, end: start + (node.execution_time ?? 0) * 1000 };
  });
  const known = spans.filter((span) => Number.isFinite(span.start));
  const from = Math.min(
    ...known.map((s) => s.start),
    step.started_at ? Date.parse(step.started_at) : Number.POSITIVE_INFINITY,
  );
  const to = Math.max(
    ...known.map((s) => s.end),
    step.ended_at ? Date.parse(step.ended_at) : Number.NEGATIVE_INFINITY,
  );
  const width = Math.max(1, to - from);
  return h(
    'div',
    { class: 'timeline', 'aria-label': 'nodes on a timeline' },
    spans.map(({ node, start, end }) => {
      const left = Number.isFinite(start) ? ((start - from) / width) * 100 : 0;
      const size = Number.isFinite(start) ? Math.max(0.3, ((end - start) / width) * 100) : 0;
      const title = `${node.unique_id}: ${node.status}, ${formatDuration((node.execution_time ?? 0) * 1000)}${node.rows_affected !== null ? `, ${node.rows_affected} rows` : ''}`;
      return h(
        'div',
        { class: 'tl-row', 'data-node': node.unique_id, title },
        h('span', { class: 'tl-label' }, node.name ?? node.unique_id),
        h(
          'span',
          { class: 'tl-track' },
          h('span', {
            class: `tl-bar tl-${node.status}`,
            style: `left:${left.toFixed(2)}%;width:${size.toFixed(2)}%`,
          }),
        ),
        h('span', { class: 'tl-time muted' }, formatDuration((node.execution_time ?? 0) * 1000)),
      );
    }),
  );
}

function logLine(line, live) {
  return h(
    'div',
    { class: `log-line log-${line.level}${live ? ' live' : ''}` },
    h('span', { class: 'log-at muted' }, line.at.slice(11, 23)),
    line.step !== undefined ? h('span', { class: 'log-step muted' }, `#${line.step + 1}`) : '',
    h('span', { class: 'log-text' }, line.text),
  );
}

// ---- words --------------------------------------------------------------------------------------

function triggerText(trigger) {
  switch (trigger?.kind) {
    case 'schedule':
      return `schedule ${formatTime(trigger.tick)}`;
    case 'catch_up':
      return `catch-up ${formatTime(trigger.tick)}`;
    case 'manual':
      return `manual (${trigger.by})`;
    case 'sensor':
      return `sensor ${trigger.sensor}: ${trigger.item}`;
    case 'backfill':
      return `backfill ${trigger.backfill}`;
    case 'cli':
      return `cli: ${trigger.argv.join(' ')}`;
    default:
      return trigger?.kind ?? '—';
  }
}

function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes} m ${Math.round(seconds % 60)} s`
    : `${Math.floor(minutes / 60)} h ${minutes % 60} m`;
}

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
