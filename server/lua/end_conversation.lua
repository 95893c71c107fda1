-- Ends a conversation. Before an advisor took it: abandoned. Active: wrap_up (the advisor
-- completes the wrap-up). The resume token stops working (its key is in the hash: resume_key);
-- the advisor's sets are found from the hash.
-- KEYS: conversation, queue, offers, live
-- ARGV: id, by ('visitor'|'advisor'), advisor ('' for visitors), is_supervisor ('1'/'0'), now_ms, retention_s,
--       reason ('quick_exit' or ''; kept as ended_reason and told to the advisor)
local key, queue, offers, live = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, by, adv, sup, now, retention = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1', tonumber(ARGV[5]), tonumber(ARGV[6])
local reason = ARGV[7] or ''
local c = redis.call('HMGET', key, 'state', 'advisor', 'resume_key', 'offered_to')
local st = c[1]
if not st then return redis.error_reply('not_found') end
if by == 'advisor' and c[2] ~= adv and not sup then return redis.error_reply('forbidden') end
local next_state
if st == 'screening' or st == 'queued' or st == 'offered' then
  if by == 'advisor' and not sup then return redis.error_reply('wrong_state') end
  next_state = 'abandoned'
  redis.call('ZREM', queue, id)
  if c[4] then
    redis.call('ZREM', offers, id)
    redis.call('SREM', advisor_key(c[4]) .. ':offers', id)
    publish({kind = 'offer_withdrawn', conv = id, advisor = c[4], reason = 'abandoned'})
  end
  redis.call('HDEL', key, 'offered_to', 'offer_expires_at')
  redis.call('SREM', live, id)
  expire_conversation(id, retention)
  publish({kind = 'queue_changed'})
elseif st == 'active' then
  next_state = 'wrap_up'
  -- Until the wrap-up is done the advisor takes no new contact (route and accept check this).
  if c[2] then redis.call('SADD', advisor_key(c[2]) .. ':wrapups', id) end
else
  return redis.error_reply('wrong_state')
end
redis.call('HSET', key, 'state', next_state, 'ended_at', now, 'ended_by', by)
if reason ~= '' then redis.call('HSET', key, 'ended_reason', reason) end
if c[3] then redis.call('DEL', c[3]) end
local ev = {kind = 'ended', conv = id, by = by, state = next_state, advisor = c[2] or ''}
if reason ~= '' then ev.reason = reason end
publish(ev)
return next_state
