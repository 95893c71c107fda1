-- Records on a conversation that must outlast it for the retention period: the risk plan with its
-- four-eyes confirmation, and decisions to share information beyond the helpline. Stored in the
-- conversation's hash (so they expire with it) and published so every console agrees.
-- KEYS: conversation
-- ARGV: what ('plan' | 'confirm' | 'disclosure'), conversation id, record_json (plan, disclosure)
--       or plan_id (confirm), by_id, by_name, now_ms
local what, id, arg, by, name, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local key = KEYS[1]
local c = redis.call('HMGET', key, 'state', 'plan', 'disclosures')
if not c[1] then return redis.error_reply('not_found') end

if what == 'plan' then
  local plan = cjson.decode(arg)
  plan.proposed_by = {id = by, name = name}
  plan.proposed_at = now
  plan.confirmed_by = cjson.null
  plan.confirmed_at = cjson.null
  local encoded = cjson.encode(plan)
  redis.call('HSET', key, 'plan', encoded)
  publish({kind = 'plan', conv = id, plan = plan})
  return encoded
elseif what == 'confirm' then
  if not c[2] then return redis.error_reply('not_found') end
  local plan = cjson.decode(c[2])
  if plan.id ~= arg then return redis.error_reply('not_found') end
  if plan.confirmed_by ~= cjson.null then return redis.error_reply('conflict') end
  if plan.proposed_by.id == by then return redis.error_reply('forbidden') end  -- four eyes
  plan.confirmed_by = {id = by, name = name}
  plan.confirmed_at = now
  local encoded = cjson.encode(plan)
  redis.call('HSET', key, 'plan', encoded)
  publish({kind = 'plan', conv = id, plan = plan})
  return encoded
elseif what == 'disclosure' then
  local list = c[3] and cjson.decode(c[3]) or {}
  if #list >= 50 then return redis.error_reply('limit_reached') end
  local d = cjson.decode(arg)
  d.recorded_by = {id = by, name = name}
  d.at = now
  table.insert(list, d)
  redis.call('HSET', key, 'disclosures', cjson.encode(list))
  publish({kind = 'disclosure', conv = id, disclosure = d})
  return cjson.encode(d)
end
return redis.error_reply('bad_request')
