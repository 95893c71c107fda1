-- Records a screening answer (only for the pending question) and moves to the next question, or
-- queues the conversation when the script is done.
-- ARGV: id, question_id, answer_json, next_question ('' = done), now_ms, boosts_json (seconds per level rank)
local id, qid, answer, nextq, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local boosts = cjson.decode(ARGV[6])
local key = 'hl:conv:' .. id
local c = redis.call('HMGET', key, 'state', 'question', 'answers', 'level_rank')
if c[1] ~= 'screening' or c[2] ~= qid then return redis.error_reply('wrong_state') end
local answers = cjson.decode(c[3])
table.insert(answers, cjson.decode(answer))
redis.call('HSET', key, 'answers', cjson.encode(answers), 'visitor_seen_at', now)
if nextq ~= '' then
  redis.call('HSET', key, 'question', nextq)
  return 'next'
end
local rank = tonumber(c[4] or '0')
redis.call('HSET', key, 'state', 'queued', 'question', '', 'queued_at', now)
redis.call('ZADD', 'hl:queue', now - boosts[rank + 1] * 1000, id)
redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'queue_changed'}))
return 'queued'
