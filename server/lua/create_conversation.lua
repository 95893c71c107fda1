-- Creates a conversation in `screening` with its first question, and the resume-token index.
-- ARGV: id, resume_hash, caller_type, lang, now_ms, first_question, resume_ttl_s
local id, rhash, ctype, lang, now, q, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local key = 'hl:conv:' .. id
if redis.call('EXISTS', key) == 1 then return redis.error_reply('conflict') end
redis.call('HSET', key, 'id', id, 'state', 'screening', 'caller_type', ctype, 'lang', lang,
  'level', 'none', 'level_rank', 0, 'categories', '[]', 'created_at', now, 'last_seq', 0,
  'question', q, 'answers', '[]', 'resume_key', 'hl:resume:' .. rhash, 'visitor_seen_at', now)
redis.call('SET', 'hl:resume:' .. rhash, id, 'EX', ttl)
redis.call('SADD', 'hl:live', id)
return 'ok'
