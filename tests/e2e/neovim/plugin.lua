-- End-to-end test of editors/neovim through the user's path: `require('vigil').setup{}` in a
-- headless Neovim (Debian's 0.7.2 in CI), with the plugin on the runtimepath.
--
-- Run (run.sh does this): VIGIL_BIN=build/cli/vigil VIGIL_E2E_PROJECT=/tmp/p VIGIL_PLUGIN=editors/neovim \
--   nvim --headless -u NONE -i NONE --cmd 'set noswapfile' -c 'luafile tests/e2e/neovim/plugin.lua'
-- The project holds `.git/` and `src/app.py` (a `verify=False` call and an `eval`).
--
-- Checks: the client's root is the project (found from the file through .git, not the current
-- directory); diagnostics arrive; the quick-fix picked through vim.lsp.buf.code_action changes the
-- buffer; a pasted block gets AI signs (extmarks) and its finding keeps its severity; :VigilReviewed
-- over it removes the signs; hover names the rule and its CWE; :VigilValidate runs the server's validation action when the server
-- offers one and reports its verdict (else it must say that the server has none); the server exits 0.

local TIMEOUT = tonumber(os.getenv('VIGIL_E2E_TIMEOUT') or '') or 15000
local function say(msg) io.stderr:write('[nvim-e2e plugin] ' .. msg .. '\n') end
local messages = {}
local function fail(msg)
  io.stderr:write('[nvim-e2e plugin] FAIL: ' .. msg .. '\n')
  for _, m in ipairs(messages) do io.stderr:write('[nvim-e2e plugin] message: ' .. m .. '\n') end
  vim.cmd('cquit 1')
  error('unreachable')
end
local function wait_for(what, pred)
  if not vim.wait(TIMEOUT, pred, 20) then fail('timed out waiting for: ' .. what) end
end
local function code_of(d) return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) end
local function findings(bufnr, rule)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code_of(d) == rule then out[#out + 1] = d end
  end
  return out
end

local function main()
  local bin, project, plugin = os.getenv('VIGIL_BIN'), os.getenv('VIGIL_E2E_PROJECT'), os.getenv('VIGIL_PLUGIN')
  plugin, bin = vim.fn.fnamemodify(plugin, ':p'), vim.fn.fnamemodify(bin, ':p')
  vim.opt.runtimepath:prepend(plugin)
  vim.notify = function(msg, level) messages[#messages + 1] = msg end
  -- The server's window/showMessage goes through its own handler: keep those too.
  local show = vim.lsp.handlers['window/showMessage']
  vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
    if result and result.message then messages[#messages + 1] = result.message end
    return show(err, result, ctx, config)
  end
  -- The user's configuration: setup{} with the binary's path, from a directory that is not the project.
  vim.cmd('cd /')
  vim.cmd('filetype on')  -- as in any user's configuration (-u NONE turns it off)
  require('vigil').setup({ cmd = { bin, 'lsp' } })

  local file = project .. '/src/app.py'
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local vigil = require('vigil')
  wait_for('the vigil client to attach', function() return vigil.client(bufnr) ~= nil end)
  local client = vigil.client(bufnr)
  wait_for('initialize', function() return client.initialized or client.server_capabilities ~= nil end)
  if client.config.root_dir ~= project then fail('root_dir is ' .. tostring(client.config.root_dir) .. ', want ' .. project) end
  say('root found from the file: ' .. client.config.root_dir)

  wait_for('py-tls-verify-disabled and py-eval-injection', function()
    return #findings(bufnr, 'py-tls-verify-disabled') == 1 and #findings(bufnr, 'py-eval-injection') == 1
  end)
  say('diagnostics: ' .. #vim.diagnostic.get(bufnr))

  -- Quick-fix through Neovim's own code action menu.
  local tls = findings(bufnr, 'py-tls-verify-disabled')[1]
  vim.api.nvim_win_set_cursor(0, { tls.lnum + 1, tls.col })
  local picked
  vim.ui.select = function(items, opts, on_choice)
    for _, item in ipairs(items) do
      local t = opts.format_item and opts.format_item(item) or tostring(item)
      if t:find('Replace `False` with `True`', 1, true) then picked = t; return on_choice(item) end
    end
    on_choice(nil)
  end
  vim.lsp.buf.code_action({ only = { 'quickfix' } })
  wait_for('the quick-fix', function() return picked ~= nil and #findings(bufnr, 'py-tls-verify-disabled') == 0 end)
  local line = vim.api.nvim_buf_get_lines(bufnr, tls.lnum, tls.lnum + 1, true)[1]
  if not line:find('verify=True', 1, true) then fail('quick-fix did not write verify=True: ' .. line) end
  say('quick-fix applied: ' .. line)

  -- Hover on the eval finding: the rule, its constraint and CWE.
  local ev0 = findings(bufnr, 'py-eval-injection')[1]
  local hovers = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = ev0.lnum, character = ev0.col } }, TIMEOUT)
  local hover_text = ''
  for _, r in pairs(hovers or {}) do
    local c = r.result and r.result.contents
    if c then hover_text = hover_text .. (type(c) == 'table' and (c.value or vim.inspect(c)) or c) end
  end
  if not hover_text:find('py-eval-injection', 1, true) or not hover_text:find('CWE', 1, true) then
    fail('hover lacks the rule or its CWE: ' .. hover_text)
  end
  say('hover: ' .. hover_text:gsub('\n.*', ''))

  -- A pasted block is AI-written: signs on its lines; its finding keeps its rule severity.
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, true,
    { 'def pasted(cmd):', '    import os', '    return os.system("sh -c " + cmd)' })
  wait_for('AI signs on the pasted lines', function()
    local l = vigil.ai_lines(bufnr)
    return #l >= 3 and l[1] == last
  end)
  say('AI signs on lines ' .. table.concat(vim.tbl_map(function(l) return l + 1 end, vigil.ai_lines(bufnr)), ','))

  -- :VigilReviewed over the pasted lines: the signs go away.
  vim.cmd(string.format('%d,%dVigilReviewed', last + 1, last + 3))
  wait_for('the signs to go after :VigilReviewed', function() return #vigil.ai_lines(bufnr) == 0 end)
  say(':VigilReviewed removed the signs')

  -- :VigilValidate on the eval finding.
  local ev = findings(bufnr, 'py-eval-injection')[1]
  vim.api.nvim_win_set_cursor(0, { ev.lnum + 1, ev.col })
  local offered = false
  for _, name in ipairs((client.server_capabilities.executeCommandProvider or {}).commands or {}) do
    if name:lower():find('validat') then offered = true end
  end
  if not offered then fail('the server does not list vigil.validateFinding in executeCommandProvider') end
  local before = #messages
  vim.cmd('VigilValidate')
  wait_for('a validation verdict', function()
    for i = before + 1, #messages do
      if messages[i]:find('validation: confirmed by deep, confidence', 1, true) then return true end
    end
    return false
  end)
  say('validation: ' .. messages[#messages])

  -- :VigilTests on the same finding: the server's action writes a test file into the project.
  before = #messages
  vim.cmd('VigilTests')
  wait_for('the test generation result', function()
    for i = before + 1, #messages do
      if messages[i]:find('test generation: fetch: tests in ', 1, true) then return true end
    end
    return false
  end)
  say('tests: ' .. messages[#messages])
  local written = vigil.last_result and vigil.last_result.path
  if not written or vim.fn.filereadable(written) ~= 1 then fail('no test file written: ' .. vim.inspect(vigil.last_result)) end
  if not table.concat(vim.fn.readfile(written), '\n'):find('def test', 1, true) then fail('the test file has no test: ' .. written) end

  local exited, code = false, nil
  local stop_client = client
  vim.lsp.handlers['$/vigil-none'] = nil
  stop_client.stop()
  wait_for('the client to stop', function() return stop_client.is_stopped() end)
  for _, m in ipairs(messages) do
    if m:find('Vigil settings:', 1, true) then fail('the server complained about the settings: ' .. m) end
  end
  say('PASS')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  io.stderr:write('[nvim-e2e plugin] FAIL: error: ' .. tostring(err) .. '\n')
  vim.cmd('cquit 1')
end
vim.cmd('qa!')
