-- Commits per repository, author and day (the author date, UTC), from the newest version of each
-- commit. An author is their GitHub login, or their email where the commit matches no account.
-- author_name is the smallest name in byte order (collate "C", the same on every engine: PostgreSQL
-- otherwise orders text by the database's locale).
with commits as (
    select *
    from {{ latest_versions(ref('sat_commit_meta'), ['hk_commit']) }} as latest
)

select
    hub_repository.repository_full_name,
    cast(commits.authored_at_utc as date) as commit_date,
    coalesce(commits.author_login, commits.author_email) as author,
    min(commits.author_name collate "C") as author_name,
    count(*) as commits,
    count(case when commits.parent_count > 1 then 1 end) as merge_commits,
    count(case when commits.is_verified then 1 end) as verified_commits,
    min(commits.authored_at_utc) as first_commit_at_utc,
    max(commits.authored_at_utc) as last_commit_at_utc
from commits
inner join {{ ref('link_commit_repository') }} as link
    on link.hk_commit = commits.hk_commit
inner join {{ ref('hub_repository') }} as hub_repository
    on hub_repository.hk_repository = link.hk_repository
group by
    hub_repository.repository_full_name,
    cast(commits.authored_at_utc as date),
    coalesce(commits.author_login, commits.author_email)
