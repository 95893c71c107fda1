-- Records a screening answer (only for the pending question) with the risk it shows, and moves to
-- the next question, or queues the conversation when the script is done. Risk as in lib.lua.
-- KEYS: conversation, queue, stats_levels (of the conversation's stats day; may be absent)
-- ARGV: id, question_id, answer_json, next_question ('' = done), now_ms, boosts_json (seconds per
--       level rank), seen_json, added_json, level, rank, flags_json
local key, queue = KEYS[1], KEYS[2]
local id, qid, answer, nextq, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local risk = {boosts = ARGV[6], seen = ARGV[7], added = ARGV[8], level = ARGV[9], rank = ARGV[10],
              flags = ARGV[11], stats_levels = KEYS[3] or '', now = ARGV[5]}
local c = redis.call('HMGET', key, 'state', 'level_rank', 'queued_at', 'advisor', 'advisor_name', 'transfer_to',
  'categories', 'question', 'answers')
if c[1] ~= 'screening' or c[8] ~= qid then return redis.error_reply('wrong_state') end
if not check_risk(c, risk) then return 'stale' end
raise_risk(key, queue, id, c, risk)
local answers = cjson.decode(c[9])
table.insert(answers, cjson.decode(answer))
redis.call('HSET', key, 'answers', cjson.encode(answers), 'visitor_seen_at', now)
if nextq ~= '' then
  redis.call('HSET', key, 'question', nextq)
  return 'next'
end
local rank = tonumber(redis.call('HGET', key, 'level_rank') or '0')
local boosts = cjson.decode(ARGV[6])
redis.call('HSET', key, 'state', 'queued', 'question', '', 'queued_at', now)
redis.call('ZADD', queue, now - boosts[rank + 1] * 1000, id)
publish({kind = 'queue_changed'})
return 'queued'
