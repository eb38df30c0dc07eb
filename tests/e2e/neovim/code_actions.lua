-- End-to-end test: Vigil's code actions through Neovim's own machinery (headless Neovim >= 0.7).
--
-- Run (run.sh does this for you):
--   VIGIL_BIN=build/cli/vigil VIGIL_E2E_FILE=/tmp/x/fixme.py \
--   nvim --headless -u NONE -i NONE --cmd 'set noswapfile' -c 'luafile tests/e2e/neovim/code_actions.lua'
--
-- The file must hold (run.sh writes it): on line 4 a non-ASCII string before
-- `requests.get(url, verify=False)`, a second `verify=False` call, an `app.run(debug=True)` and an
-- indented `eval(expr)`.
--
-- What it checks, each through vim.lsp.buf.code_action (the user's command; the choice is made by
-- replacing vim.ui.select, Neovim's documented extension point) and Neovim's own edit application:
--   1. quick-fix on the non-ASCII line: the buffer line becomes exactly `verify=True` (UTF-16
--      positions converted by Neovim), the other lines are untouched, the finding goes away;
--   2. "Suppress py-eval-injection here…": resolved through codeAction/resolve, inserts
--      `# vigil-ignore: py-eval-injection -- ` above the flagged line with its indentation;
--   3. source.fixAll.vigil (context.only): resolved lazily, applies every safe fix at once, and
--      the safe-fixable findings are gone;
--   4. the server exits 0 after client.stop().
-- VIGIL_E2E_STEPS (default "quickfix,suppress,fixall") picks steps 1-3: run.sh runs the quick-fix
-- (with suppress) and fix-all as separate cases, each on a fresh copy of the file.
-- Exits with :cquit 1 (and a reason on stderr) on failure, :qa! on success.

local TIMEOUT = tonumber(os.getenv('VIGIL_E2E_TIMEOUT') or '') or 15000
local POLL = 20
local log_file = os.getenv('VIGIL_E2E_LOG')
local client_id, client
local exited, exit_code = false, nil

local function say(msg) io.stderr:write('[nvim-e2e actions] ' .. msg .. '\n') end

local function fail(msg)
  io.stderr:write('[nvim-e2e actions] FAIL: ' .. msg .. '\n')
  if log_file and log_file ~= '' then
    local f = io.open(log_file, 'r')
    if f then
      io.stderr:write('--- server log ---\n' .. f:read('*a') .. '\n')
      f:close()
    end
  end
  if client and not exited then pcall(client.stop, true) end
  vim.cmd('cquit 1')
  error('unreachable')
end

local function wait_for(what, pred)
  local ok = vim.wait(TIMEOUT, function() return exited or pred() end, POLL)
  if exited and not pred() then fail('server exited while waiting for: ' .. what) end
  if not ok then fail('timed out waiting for: ' .. what) end
end

local function code_of(d)
  if d.code ~= nil then return d.code end
  return d.user_data and d.user_data.lsp and d.user_data.lsp.code
end

local function findings(bufnr, rule)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code_of(d) == rule then out[#out + 1] = d end
  end
  table.sort(out, function(a, b) return a.lnum < b.lnum end)
  return out
end

local function lines(bufnr) return vim.api.nvim_buf_get_lines(bufnr, 0, -1, true) end

-- Runs vim.lsp.buf.code_action(context) with the cursor at (lnum0, col0) and picks the action whose
-- title starts with `title`; returns the titles Neovim offered.
local function run_action(bufnr, lnum0, col0, context, title)
  vim.api.nvim_win_set_cursor(0, { lnum0 + 1, col0 })
  local offered, picked = nil, false
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    local choice
    for _, item in ipairs(items) do
      local t = opts.format_item and opts.format_item(item) or tostring(item)
      offered[#offered + 1] = t
      if not choice and t:sub(1, #title) == title then choice = item end
    end
    picked = choice ~= nil
    on_choice(choice)
  end
  vim.lsp.buf.code_action(context)
  wait_for('the code action menu (' .. title .. ')', function() return offered ~= nil end)
  if not picked then fail('no action titled "' .. title .. '…" among: ' .. vim.inspect(offered)) end
  return offered
end

local function main()
  local bin, file = os.getenv('VIGIL_BIN'), os.getenv('VIGIL_E2E_FILE')
  if not bin or bin == '' or not file or file == '' then fail('VIGIL_BIN and VIGIL_E2E_FILE are required') end
  file = vim.fn.fnamemodify(file, ':p')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'python'
  local original = lines(bufnr)

  local cmd = { vim.fn.fnamemodify(bin, ':p'), 'lsp' }
  if log_file and log_file ~= '' then vim.list_extend(cmd, { '--log-file', log_file, '--log-level', 'debug' }) end
  local initialized = false
  client_id = vim.lsp.start_client({
    name = 'vigil',
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ':h'),
    on_init = function() initialized = true end,
    on_exit = function(code) exited, exit_code = true, code end,
  })
  if not client_id then fail('could not start ' .. bin) end
  wait_for('initialize', function() return initialized end)
  client = vim.lsp.get_client_by_id(client_id)
  local provider = client.server_capabilities.codeActionProvider
  if type(provider) ~= 'table' or not provider.resolveProvider then
    fail('server does not declare codeActionProvider.resolveProvider: ' .. vim.inspect(provider))
  end
  if not vim.lsp.buf_attach_client(bufnr, client_id) then fail('buf_attach_client failed') end

  wait_for('two py-tls-verify-disabled findings', function() return #findings(bufnr, 'py-tls-verify-disabled') == 2 end)
  wait_for('a py-eval-injection finding', function() return #findings(bufnr, 'py-eval-injection') == 1 end)

  local steps = os.getenv('VIGIL_E2E_STEPS') or 'quickfix,suppress,fixall'
  local function step(name) return steps:find(name, 1, true) ~= nil end

  if step('quickfix') then
    -- 1. Quick-fix on the non-ASCII line.
    local tls = findings(bufnr, 'py-tls-verify-disabled')[1]
    local wide_line = original[tls.lnum + 1]
    if not wide_line:find('\u{1F600}', 1, true) then fail('test file: the first TLS finding must be on the non-ASCII line') end
    run_action(bufnr, tls.lnum, tls.col, { only = { 'quickfix' } }, 'Replace `False` with `True`')
    local want = wide_line:gsub('verify=False', 'verify=True')
    wait_for('the quick-fix to change line ' .. (tls.lnum + 1), function() return lines(bufnr)[tls.lnum + 1] == want end)
    local now = lines(bufnr)
    for i, l in ipairs(original) do
      if i ~= tls.lnum + 1 and now[i] ~= l then fail('line ' .. i .. ' changed too: ' .. now[i]) end
    end
    wait_for('the fixed finding to go away', function() return #findings(bufnr, 'py-tls-verify-disabled') == 1 end)
    say('quick-fix applied on the non-ASCII line: ' .. lines(bufnr)[tls.lnum + 1])
  end

  if step('suppress') then
    -- 2. Suppress with a reason, resolved lazily.
    local ev = findings(bufnr, 'py-eval-injection')[1]
    local flagged = lines(bufnr)[ev.lnum + 1]
    local indent = flagged:match('^(%s*)')
    run_action(bufnr, ev.lnum, ev.col, nil, 'Suppress py-eval-injection here')
    local comment = indent .. '# vigil-ignore: py-eval-injection -- '
    wait_for('the suppression comment above line ' .. (ev.lnum + 1), function()
      local l = lines(bufnr)
      return l[ev.lnum + 1] == comment and l[ev.lnum + 2] == flagged
    end)
    say('suppression inserted: "' .. comment .. '"')
  end

  if step('fixall') then
    -- 3. Fix-all through context.only.
    local safe_before = #findings(bufnr, 'py-tls-verify-disabled') + #findings(bufnr, 'py-flask-debug-enabled')
    if safe_before < 2 then fail('expected at least 2 safe-fixable findings before fix-all, got ' .. safe_before) end
    run_action(bufnr, 0, 0, { only = { 'source.fixAll.vigil' }, diagnostics = {} }, 'Fix all safe Vigil findings')
    wait_for('fix-all to rewrite the buffer', function()
      local text = table.concat(lines(bufnr), '\n')
      return not text:find('verify=False', 1, true) and not text:find('debug=True', 1, true)
    end)
    local text = table.concat(lines(bufnr), '\n')
    if not text:find('debug=False', 1, true) then fail('fix-all did not turn debug=True into debug=False:\n' .. text) end
    wait_for('the safe-fixable findings to go away', function()
      return #findings(bufnr, 'py-tls-verify-disabled') == 0 and #findings(bufnr, 'py-flask-debug-enabled') == 0
    end)
    say('fix-all applied:\n' .. text)
  end

  -- 4. Clean exit.
  client.stop()
  if not vim.wait(10000, function() return exited end, POLL) then fail('server did not exit after stop') end
  if exit_code ~= 0 then fail('server exited with code ' .. tostring(exit_code)) end
  say('PASS')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  io.stderr:write('[nvim-e2e actions] FAIL: error: ' .. tostring(err) .. '\n')
  if client and not exited then pcall(client.stop, true) end
  vim.cmd('cquit 1')
end
vim.cmd('qa!')
