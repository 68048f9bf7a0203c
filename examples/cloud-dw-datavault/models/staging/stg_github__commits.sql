-- GitHub commits: one row per commit per landed page. The repository is read from the commit's own
-- API URL (…/repos/<owner>/<repo>/commits/<sha>), because the list answer does not repeat it per item.
-- Authors without a GitHub account (a CI bot, an old email) have no login: author_login is NULL and
-- the name and email from the commit itself remain.
select
    {{ clean_key("lower(sha)") }} as commit_sha,
    {{ clean_key("regexp_extract(url, '/repos/([^/]+/[^/]+)/commits/', 1)") }} as repository_full_name,
    {{ clean_text("commit.author.name") }} as author_name,
    {{ clean_text("lower(commit.author.email)") }} as author_email,
    {{ clean_text("author.login") }} as author_login,
    {{ iso_to_utc("commit.author.date") }} as authored_at_utc,
    {{ clean_text("commit.committer.name") }} as committer_name,
    {{ clean_text("lower(commit.committer.email)") }} as committer_email,
    {{ clean_text("committer.login") }} as committer_login,
    {{ iso_to_utc("commit.committer.date") }} as committed_at_utc,
    commit.message as message,
    split_part(commit.message, chr(10), 1) as message_subject,
    cast(len(parents) as integer) as parent_count,
    cast(commit.verification.verified as boolean) as is_verified,
    {{ clean_text("commit.verification.reason") }} as verification_reason,
    html_url,
    {{ landing_columns() }}
from {{ source('github', 'commits') }}
