-- Ends a conversation. Before an advisor took it: abandoned. Active: wrap_up (the advisor
-- completes the wrap-up). The resume token stops working.
-- ARGV: id, by ('visitor'|'advisor'), advisor ('' for visitors), is_supervisor ('1'/'0'), now_ms, retention_s
local id, by, adv, sup, now, retention = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1', tonumber(ARGV[5]), tonumber(ARGV[6])
local key = 'hl:conv:' .. id
local c = redis.call('HMGET', key, 'state', 'advisor', 'resume_key', 'offered_to')
local st = c[1]
if not st then return redis.error_reply('not_found') end
if by == 'advisor' and c[2] ~= adv and not sup then return redis.error_reply('forbidden') end
local next_state
if st == 'screening' or st == 'queued' or st == 'offered' then
  if by == 'advisor' and not sup then return redis.error_reply('wrong_state') end
  next_state = 'abandoned'
  redis.call('ZREM', 'hl:queue', id)
  if c[4] then
    redis.call('ZREM', 'hl:offers', id)
    redis.call('SREM', 'hl:advisor:' .. c[4] .. ':offers', id)
    redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'offer_withdrawn', conv = id, advisor = c[4], reason = 'abandoned'}))
  end
  redis.call('HDEL', key, 'offered_to', 'offer_expires_at')
  redis.call('SREM', 'hl:live', id)
  for _, k in ipairs({key, key .. ':msgs', key .. ':cids', key .. ':tried', key .. ':watchers'}) do
    redis.call('EXPIRE', k, retention)
  end
  redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'queue_changed'}))
elseif st == 'active' then
  next_state = 'wrap_up'
  -- Until the wrap-up is done the advisor takes no new contact (route and accept check this).
  if c[2] then redis.call('SADD', 'hl:advisor:' .. c[2] .. ':wrapups', id) end
else
  return redis.error_reply('wrong_state')
end
redis.call('HSET', key, 'state', next_state, 'ended_at', now, 'ended_by', by)
if c[3] then redis.call('DEL', c[3]) end
redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'ended', conv = id, by = by, state = next_state, advisor = c[2] or ''}))
return next_state
