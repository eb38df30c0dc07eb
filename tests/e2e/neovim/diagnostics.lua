-- End-to-end test: a real editor (headless Neovim >= 0.7) talks to `vigil lsp`.
--
-- Run (run.sh does this for you):
--   VIGIL_BIN=build/cli/vigil VIGIL_E2E_FILE=/tmp/x/app.py VIGIL_E2E_EXPECT=py-eval-injection \
--   nvim --headless -u NONE -i NONE --cmd 'set noswapfile' -c 'luafile tests/e2e/neovim/diagnostics.lua'
--
-- Environment:
--   VIGIL_BIN          path to the vigil binary (required)
--   VIGIL_E2E_FILE     file to open (required)
--   VIGIL_E2E_EXPECT   rule id that must be reported on open (required)
--   VIGIL_E2E_LINE     1-based line where it must be reported (optional)
--   VIGIL_E2E_EDITS    "1" (default) to run the editing scenario, "0" to only check the open
--   VIGIL_E2E_LOG      server log file (optional; passed as --log-file, tail printed on failure)
--   VIGIL_E2E_TIMEOUT  per-step timeout in ms (default 15000)
--
-- What it checks:
--   1. the server initializes and advertises incremental sync (change = 2);
--   2. on open, a diagnostic with code == VIGIL_E2E_EXPECT (and source "vigil") appears
--      (on VIGIL_E2E_LINE when given);
--   3. editing scenario (through Neovim's own change tracking, i.e. incremental didChange):
--      a. append a line `eval(data)`               -> a new finding on that line;
--      b. append a line with non-ASCII text (astral emoji + accented letter) before
--         `eval(s)` -> a finding whose column, converted by Neovim from UTF-16, is the byte
--         column of `eval` (checks position conversion of ranges in both directions);
--      c. rewrite the argument of the first new finding in place to a string literal
--         (nvim_buf_set_text: an in-line range edit)  -> that finding disappears, the others stay;
--      d. delete the non-ASCII line                -> its finding disappears;
--      e. insert two lines at the top, then delete them -> all findings move down, then back;
--   4. every didChange Neovim sent carried a range (incremental), every publish carried a
--      `version`, versions never went backwards, and the last publish is for the buffer's
--      current version;
--   5. client.stop() makes the server exit by itself with code 0 (no signal).
-- Exits with :cquit 1 (and a reason on stderr) on failure, :qa! on success.

local TIMEOUT = tonumber(os.getenv('VIGIL_E2E_TIMEOUT') or '') or 15000
local POLL = 20

local log_file = os.getenv('VIGIL_E2E_LOG')
local client_id, client
local exited, exit_code, exit_signal = false, nil, nil

local function say(msg)
  io.stderr:write('[nvim-e2e] ' .. msg .. '\n')
end

local function dump_log()
  if not log_file or log_file == '' then return end
  local f = io.open(log_file, 'r')
  if not f then return end
  local lines = {}
  for line in f:lines() do
    lines[#lines + 1] = line
    if #lines > 40 then table.remove(lines, 1) end
  end
  f:close()
  if #lines > 0 then
    io.stderr:write('[nvim-e2e] --- last lines of the server log (' .. log_file .. ') ---\n')
    for _, l in ipairs(lines) do io.stderr:write('  ' .. l .. '\n') end
  end
end

local function fail(msg)
  io.stderr:write('[nvim-e2e] FAIL: ' .. msg .. '\n')
  dump_log()
  if client and not exited then pcall(client.stop, true) end
  vim.cmd('cquit 1')
  error('unreachable: cquit returned') -- never continue after a failure
end

local function describe(diags)
  if #diags == 0 then return '(none)' end
  local parts = {}
  for i, d in ipairs(diags) do
    if i > 20 then
      parts[#parts + 1] = string.format('... and %d more', #diags - 20)
      break
    end
    local lsp = d.user_data and d.user_data.lsp or {}
    parts[#parts + 1] = string.format('%d:%d %s [%s]', d.lnum + 1, d.col + 1, tostring(d.code or lsp.code),
      (d.message or ''):gsub('\n', ' '))
  end
  return table.concat(parts, '; ')
end

local function code_of(d)
  if d.code ~= nil then return d.code end
  if d.user_data and d.user_data.lsp then return d.user_data.lsp.code end
  return nil
end

-- Diagnostics of `bufnr` with code == rule; optionally only those on 0-based line `lnum`.
local function findings(bufnr, rule, lnum)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code_of(d) == rule and (lnum == nil or d.lnum == lnum) then out[#out + 1] = d end
  end
  return out
end

-- Wait until pred() is true; fail with `what` on timeout or if the server died meanwhile.
local function wait_for(what, pred, bufnr)
  local ok = vim.wait(TIMEOUT, function() return exited or pred() end, POLL)
  if exited and not pred() then
    fail(string.format('server exited (code %s, signal %s) while waiting for: %s', tostring(exit_code),
      tostring(exit_signal), what))
  end
  if not ok then
    fail(string.format('timed out after %d ms waiting for: %s; diagnostics now: %s', TIMEOUT, what,
      bufnr and describe(vim.diagnostic.get(bufnr)) or '?'))
  end
end

local function main()
  local bin = os.getenv('VIGIL_BIN')
  local file = os.getenv('VIGIL_E2E_FILE')
  local expect = os.getenv('VIGIL_E2E_EXPECT')
  local want_line = tonumber(os.getenv('VIGIL_E2E_LINE') or '')
  local do_edits = os.getenv('VIGIL_E2E_EDITS') ~= '0'
  if not bin or bin == '' then fail('VIGIL_BIN is not set') end
  if not file or file == '' then fail('VIGIL_E2E_FILE is not set') end
  if not expect or expect == '' then fail('VIGIL_E2E_EXPECT is not set') end
  if vim.fn.executable(bin) ~= 1 then fail('VIGIL_BIN is not executable: ' .. bin) end
  if vim.fn.filereadable(file) ~= 1 then fail('VIGIL_E2E_FILE is not readable: ' .. file) end
  file = vim.fn.fnamemodify(file, ':p')
  bin = vim.fn.fnamemodify(bin, ':p')

  -- Open the file with the filetype detected, as a user's editor would.
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  if vim.bo[bufnr].filetype == '' then
    local by_ext = { py = 'python', js = 'javascript', mjs = 'javascript', cjs = 'javascript', ts = 'typescript',
      tsx = 'typescriptreact', go = 'go', java = 'java', c = 'c', h = 'c', cc = 'cpp', cpp = 'cpp', hpp = 'cpp' }
    local ft = by_ext[vim.fn.fnamemodify(file, ':e')]
    if ft then vim.bo[bufnr].filetype = ft end
  end
  say(string.format('opened %s (filetype %s)', file, vim.bo[bufnr].filetype))

  -- Record what goes over the wire in both directions.
  local publishes = {} -- { version = n|nil, count = n } per publish for our file
  local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  local cmd = { bin, 'lsp' }
  if log_file and log_file ~= '' then
    vim.list_extend(cmd, { '--log-file', log_file, '--log-level', 'debug' })
  end
  local initialized = false
  client_id = vim.lsp.start_client({
    name = 'vigil',
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ':h'),
    on_init = function() initialized = true end,
    on_exit = function(code, signal)
      exited, exit_code, exit_signal = true, code, signal
    end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        if result and vim.uri_to_fname(result.uri) == file then
          publishes[#publishes + 1] = { version = result.version, count = #(result.diagnostics or {}) }
        end
        return default_publish(err, result, ctx, config)
      end,
    },
  })
  if not client_id then fail('vim.lsp.start_client returned nil (could not start ' .. bin .. ')') end
  client = vim.lsp.get_client_by_id(client_id)
  wait_for('initialize', function() return initialized end)
  client = vim.lsp.get_client_by_id(client_id)
  if not client then fail('client vanished after initialize') end

  local sync = client.server_capabilities and client.server_capabilities.textDocumentSync
  local change_kind = type(sync) == 'table' and sync.change or sync
  if change_kind ~= 2 then
    fail('server does not advertise incremental sync (textDocumentSync.change = ' .. vim.inspect(change_kind) .. ')')
  end

  -- Spy on didChange notifications (Neovim's change tracking calls client.notify).
  local changes_sent, full_changes = 0, 0
  local notify = client.notify
  client.notify = function(method, params)
    if method == 'textDocument/didChange' then
      for _, c in ipairs(params.contentChanges or {}) do
        changes_sent = changes_sent + 1
        if c.range == nil then full_changes = full_changes + 1 end
      end
    end
    return notify(method, params)
  end

  if not vim.lsp.buf_attach_client(bufnr, client_id) then fail('vim.lsp.buf_attach_client failed') end

  -- 2. Findings on open.
  local open_lnum = want_line and (want_line - 1) or nil
  wait_for(string.format('a %s diagnostic%s after open', expect, want_line and (' on line ' .. want_line) or ''),
    function() return #findings(bufnr, expect, open_lnum) > 0 end, bufnr)
  local first = findings(bufnr, expect, open_lnum)[1]
  if first.source ~= 'vigil' then fail('diagnostic source is ' .. vim.inspect(first.source) .. ', expected "vigil"') end
  say('on open: ' .. describe(vim.diagnostic.get(bufnr)))

  if do_edits then
    local function total() return #findings(bufnr, expect) end
    local n0 = total()

    -- 3a. Append `eval(data)`.
    local nlines = vim.api.nvim_buf_line_count(bufnr)
    vim.api.nvim_buf_set_lines(bufnr, nlines, nlines, false, { 'eval(data)' })
    local added = nlines -- 0-based line of the new text
    wait_for('a new ' .. expect .. ' finding on appended line ' .. (added + 1),
      function() return #findings(bufnr, expect, added) > 0 and total() == n0 + 1 end, bufnr)
    say('after appending eval(data): ' .. describe(vim.diagnostic.get(bufnr)))

    -- 3b. Non-ASCII before the call: UTF-16 columns differ from byte and code point columns.
    local wide = 's = "\u{1F600}\u{E9}"; eval(s)'
    if not wide:find('eval', 1, true) then fail('internal: bad test line') end
    local wide_lnum = vim.api.nvim_buf_line_count(bufnr)
    vim.api.nvim_buf_set_lines(bufnr, wide_lnum, wide_lnum, false, { wide })
    local want_col = wide:find('eval', 1, true) - 1 -- byte column, 0-based
    wait_for('a finding on the non-ASCII line ' .. (wide_lnum + 1),
      function() return #findings(bufnr, expect, wide_lnum) > 0 and total() == n0 + 2 end, bufnr)
    local wd = findings(bufnr, expect, wide_lnum)[1]
    if wd.col ~= want_col then
      fail(string.format('finding on the non-ASCII line starts at byte column %d, expected %d (`eval`): ' ..
        'position encoding mismatch (UTF-16 expected)', wd.col, want_col))
    end
    say('after non-ASCII line: ' .. describe(vim.diagnostic.get(bufnr)))

    -- 3c. In-line edit: `eval(data)` -> `eval("data")` on the appended line.
    local line = vim.api.nvim_buf_get_lines(bufnr, added, added + 1, true)[1]
    if line ~= 'eval(data)' then fail('unexpected buffer content on line ' .. (added + 1) .. ': ' .. line) end
    vim.api.nvim_buf_set_text(bufnr, added, 5, added, 9, { '"data"' })
    wait_for('the finding on line ' .. (added + 1) .. ' to go away after eval(data) -> eval("data")',
      function() return #findings(bufnr, expect, added) == 0 and total() == n0 + 1 end, bufnr)
    say('after in-line edit: ' .. describe(vim.diagnostic.get(bufnr)))

    -- 3d. Delete the non-ASCII line.
    vim.api.nvim_buf_set_lines(bufnr, wide_lnum, wide_lnum + 1, false, {})
    wait_for('the findings to be back to the ones on open after deleting line ' .. (wide_lnum + 1),
      function() return total() == n0 and #findings(bufnr, expect, wide_lnum) == 0 end, bufnr)
    if open_lnum and #findings(bufnr, expect, open_lnum) == 0 then
      fail('the original finding on line ' .. want_line .. ' was lost during the edits')
    end
    say('after deleting the line: ' .. describe(vim.diagnostic.get(bufnr)))

    -- 3e. Insert two lines at the top: every finding must move down by two lines (findings
    --     outside the edited region are shifted, not lost or left behind); then remove them.
    local before = {}
    for _, d in ipairs(findings(bufnr, expect)) do before[#before + 1] = d.lnum end
    table.sort(before)
    local function lnums()
      local out = {}
      for _, d in ipairs(findings(bufnr, expect)) do out[#out + 1] = d.lnum end
      table.sort(out)
      return out
    end
    local function shifted_by(k)
      local now = lnums()
      if #now ~= #before then return false end
      for i = 1, #now do if now[i] ~= before[i] + k then return false end end
      return true
    end
    vim.api.nvim_buf_set_lines(bufnr, 0, 0, false, { '# header added in the editor', '' })
    wait_for('findings to move down by 2 lines after inserting 2 lines at the top', function() return shifted_by(2) end,
      bufnr)
    vim.api.nvim_buf_set_lines(bufnr, 0, 2, false, {})
    wait_for('findings to move back up after deleting the 2 lines', function() return shifted_by(0) end, bufnr)
    say('after inserting and deleting a header: ' .. describe(vim.diagnostic.get(bufnr)))

    -- 4. Wire checks.
    if changes_sent == 0 then fail('Neovim sent no didChange content changes') end
    if full_changes > 0 then
      fail(string.format('%d of %d content changes were full-text (no range): incremental sync not used',
        full_changes, changes_sent))
    end
    -- Let the last publish settle, then compare with the buffer's version.
    local buf_version = vim.lsp.util.buf_versions[bufnr]
    wait_for('a publish for the current buffer version ' .. tostring(buf_version),
      function() return #publishes > 0 and publishes[#publishes].version == buf_version end, bufnr)
    local last = nil
    for i, p in ipairs(publishes) do
      if p.version == nil then fail('publish #' .. i .. ' has no version') end
      if last and p.version < last then
        fail(string.format('publish #%d carries version %d after version %d (went backwards)', i, p.version, last))
      end
      last = p.version
    end
    say(string.format('%d content changes (all incremental), %d publishes, last version %d', changes_sent,
      #publishes, last))
  end

  -- 5. Clean shutdown: shutdown request + exit notification, and the process must exit 0 by itself.
  client.stop()
  local stopped = vim.wait(10000, function() return exited end, POLL)
  if not stopped then
    pcall(client.stop, true)
    vim.wait(2000, function() return exited end, POLL)
    fail('server did not exit within 10 s after shutdown/exit (killed it)')
  end
  if exit_code ~= 0 or (exit_signal ~= nil and exit_signal ~= 0) then
    fail(string.format('server exited with code %s, signal %s after shutdown/exit (expected 0, no signal)',
      tostring(exit_code), tostring(exit_signal)))
  end
  say('server exited cleanly (code 0)')
  say('PASS')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  -- fail() already called cquit; anything else is an error in the test or in Neovim's LSP client.
  io.stderr:write('[nvim-e2e] FAIL: error: ' .. tostring(err) .. '\n')
  dump_log()
  if client and not exited then pcall(client.stop, true) end
  vim.cmd('cquit 1')
end
vim.cmd('qa!')
