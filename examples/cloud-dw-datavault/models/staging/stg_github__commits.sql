-- GitHub commits: one row per commit per landed page. The repository is read from the commit's own API
-- URL (…/repos/<owner>/<repo>/commits/<sha>), because the list answer does not repeat it per item and
-- later pages are requested by repository id (…/repositories/1296269/commits?page=2).
-- Authors without a GitHub account (a CI bot, an old email) have no login: author_login is NULL and the
-- name and email from the commit itself remain. Commits from before GitHub recorded signatures have no
-- `verification`: is_verified is NULL.
select
    {{ clean_key("lower(sha)") }} as commit_sha,
    {{ clean_key("split_part(split_part(url, '/repos/', 2), '/commits/', 1)") }} as repository_full_name,
    {{ clean_text("author_name") }} as author_name,
    {{ clean_text("lower(author_email)") }} as author_email,
    {{ clean_text("author_login") }} as author_login,
    author_date as authored_at_utc,
    {{ clean_text("committer_name") }} as committer_name,
    {{ clean_text("lower(committer_email)") }} as committer_email,
    {{ clean_text("committer_login") }} as committer_login,
    committer_date as committed_at_utc,
    message,
    split_part(message, chr(10), 1) as message_subject,
    {{ json_array_size("parents") }} as parent_count,
    verified as is_verified,
    {{ clean_text("verification_reason") }} as verification_reason,
    html_url,
    {{ landing_columns() }}
from {{ source('github', 'commits') }}
