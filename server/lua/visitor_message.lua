-- One visitor message, all at once: stored with the next gap-free sequence number (idempotent on
-- the client id; a resend stores nothing and changes nothing), the screening context for the next
-- message, the categories merged, the level raised and the queue re-scored, the day's statistics
-- counted, and `msg` (then `risk`, `alert`) published. Risk as in lib.lua; 'stale' changes nothing.
-- KEYS: conversation, messages, client_ids, queue, stats_levels (of the conversation's stats day;
--       may be absent)
-- ARGV: id, client_id, text, ts, flags_json ('' = none), cues_json ('' = none), screening_ctx
--       ('' keeps it), max_messages, boosts_json, seen_json, added_json, level, rank
local key, msgs, cids, queue = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, cid, text, ts, flags, cues, sctx = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local max = tonumber(ARGV[8])
local risk = {boosts = ARGV[9], seen = ARGV[10], added = ARGV[11], level = ARGV[12], rank = ARGV[13],
              stats_levels = KEYS[5] or '', now = ts}
local c = redis.call('HMGET', key, 'state', 'level_rank', 'queued_at', 'advisor', 'advisor_name', 'transfer_to',
  'categories', 'last_seq')
if not c[1] then return redis.error_reply('not_found') end
local dup = redis.call('HGET', cids, 'v:' .. cid)
if dup then return {1, tonumber(dup)} end
if c[1] ~= 'queued' and c[1] ~= 'offered' and c[1] ~= 'active' then return redis.error_reply('wrong_state') end
if tonumber(c[8]) >= max then return redis.error_reply('limit_reached') end
if not check_risk(c, risk) then return {2, 0} end
local seq = append_message({conv = key, msgs = msgs, cids = cids, id = id, sender = 'v', cid = cid, from = 'visitor',
  name = '', text = text, ts = ts, card = '', flags = flags, cues = cues})
if sctx ~= '' then redis.call('HSET', key, 'screening_ctx', sctx) end
if flags ~= '' then
  -- The risk event points each flag at the message it came from.
  local with_seq = cjson.decode(flags)
  for _, f in ipairs(with_seq) do f.seq = seq end
  risk.flags = cjson.encode(with_seq)
  raise_risk(key, queue, id, c, risk)
end
return {0, seq}
