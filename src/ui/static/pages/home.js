// The landing page: the project's jobs, each with its schedule, its next tick and its last run.
import { getJson, h } from '../api.js';

export async function render(container) {
  const { jobs } = await getJson('/ui/api/jobs');
  container.replaceChildren(
    h('h1', {}, 'Jobs'),
    jobs.length === 0
      ? h('p', { class: 'muted' }, 'No jobs: add some under jobs: in vaultline.yml.')
      : h(
          'table',
          { id: 'jobs' },
          h(
            'tr',
            {},
            h('th', {}, 'job'),
            h('th', {}, 'steps'),
            h('th', {}, 'schedule'),
            h('th', {}, 'next tick'),
            h('th', {}, 'last run'),
          ),
          jobs.map((job) =>
            h(
              'tr',
              {},
              h('td', {}, job.name),
              h('td', {}, h('code', {}, job.steps.join(' → '))),
              h('td', {}, job.schedule ? `${job.schedule.cron} (${job.schedule.timezone})` : '—'),
              h('td', {}, job.next_tick ?? '—'),
              h(
                'td',
                {},
                job.last_run
                  ? h(
                      'a',
                      { href: `#/run/${job.last_run.id}`, class: `status-${job.last_run.status}` },
                      job.last_run.status,
                    )
                  : '—',
              ),
            ),
          ),
        ),
  );
}
