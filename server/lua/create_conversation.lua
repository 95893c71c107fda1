-- Creates a conversation in `screening` with its first question, and the resume-token index.
-- KEYS: conversation, resume, live
-- ARGV: id, caller_type, lang, now_ms, first_question, resume_ttl_s
local key, resume, live = KEYS[1], KEYS[2], KEYS[3]
local id, ctype, lang, now, q, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if redis.call('EXISTS', key) == 1 then return redis.error_reply('conflict') end
redis.call('HSET', key, 'id', id, 'state', 'screening', 'caller_type', ctype, 'lang', lang,
  'level', 'none', 'level_rank', 0, 'categories', '[]', 'created_at', now, 'last_seq', 0,
  'question', q, 'answers', '[]', 'resume_key', resume, 'visitor_seen_at', now)
redis.call('SET', resume, id, 'EX', ttl)
redis.call('SADD', live, id)
return 'ok'
