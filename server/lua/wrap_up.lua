-- Completes the wrap-up: the conversation is closed, the advisor's slot is free, the handling
-- time feeds wait estimates, and the transcript is kept for the retention period only. The
-- holding advisor's sets are found from the hash (a supervisor may wrap up for them).
-- KEYS: conversation, live, handle_times
-- ARGV: id, advisor, is_supervisor, wrapup_json, now_ms, retention_s
local key, live, handle_times = KEYS[1], KEYS[2], KEYS[3]
local id, adv, sup, wrapup, now, retention = ARGV[1], ARGV[2], ARGV[3] == '1', ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local c = redis.call('HMGET', key, 'state', 'advisor', 'accepted_at', 'ended_at')
if not c[1] then return redis.error_reply('not_found') end
if c[2] ~= adv and not sup then return redis.error_reply('forbidden') end
if c[1] ~= 'wrap_up' then return redis.error_reply('wrong_state') end
redis.call('HSET', key, 'state', 'closed', 'wrapup', wrapup, 'closed_at', now, 'wrapped_by', adv)
redis.call('SREM', live, id)
if c[2] then
  redis.call('SREM', advisor_key(c[2]) .. ':convs', id)
  redis.call('SREM', advisor_key(c[2]) .. ':wrapups', id)
end
if c[3] and c[4] then
  redis.call('LPUSH', handle_times, tonumber(c[4]) - tonumber(c[3]))
  redis.call('LTRIM', handle_times, 0, 49)
end
expire_conversation(id, retention)
publish({kind = 'closed', conv = id, advisor = c[2] or ''})
return 'closed'
