-- Vigil for Neovim: the `vigil lsp` server through Neovim's built-in client (0.7+), its commands,
-- and AI-written ranges shown as signs.
--
--   require('vigil').setup{}                      -- defaults
--   require('vigil').setup{ cmd = { '/path/to/vigil', 'lsp' }, settings = { scope = 'all' } }
--
-- On 0.11+ it registers the server with vim.lsp.config / vim.lsp.enable; on 0.7-0.10 it starts
-- one client per project root from a FileType autocommand. Commands: :VigilValidate, :VigilTests,
-- :VigilReviewed, :VigilAiWritten (ranges), :VigilFixAll, :VigilAiRanges (toggle the signs).
local M = {}

M.config = {
  cmd = { 'vigil', 'lsp' },
  filetypes = { 'python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go', 'java', 'c', 'cpp' },
  root_markers = { '.vigil', '.git' },
  settings = {},         -- the `vigil` section: scope, showHumanFindings, provenance, ...
  ai_ranges = true,      -- signs on lines an AI wrote (from vigil/provenance)
  sign_text = '▎',
  on_attach = nil,       -- function(client, bufnr), called after Vigil's own
}

local ns = vim.api.nvim_create_namespace('vigil_ai_ranges')

local function notify(msg, level) vim.notify('Vigil: ' .. msg, level or vim.log.levels.INFO) end

-- The nearest ancestor of `path` holding one of the markers (as lspconfig's root_pattern), else
-- the file's directory. Works on 0.7 (no vim.fs).
function M.find_root(path, markers)
  markers = markers or M.config.root_markers
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while dir and dir ~= '' do
    for _, m in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. m) then return dir end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then break end
    dir = parent
  end
  return vim.fn.fnamemodify(path, ':p:h')
end

-- The Vigil client attached to `bufnr`.
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'vigil' then return c end
  end
  return nil
end

-- --- AI ranges as signs ------------------------------------------------------------------------

function M.refresh_ai_ranges(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client or not M.config.ai_ranges then
    vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
    return
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  client.request('vigil/provenance', params, function(err, result)
    if err or not result or not vim.api.nvim_buf_is_valid(bufnr) then return end
    vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
    local last = vim.api.nvim_buf_line_count(bufnr) - 1
    for _, r in ipairs(result.ranges or {}) do
      if r.origin == 'ai' then
        local first = r.range.start.line
        local stop = r.range['end'].line
        if r.range['end'].character == 0 and stop > first then stop = stop - 1 end
        for line = first, math.min(stop, last) do
          pcall(vim.api.nvim_buf_set_extmark, bufnr, ns, line, 0, {
            sign_text = M.config.sign_text,
            sign_hl_group = 'VigilAiRange',
            priority = 5,
          })
        end
      end
    end
  end, bufnr)
end

-- The extmarks of AI lines in `bufnr` (0-based line numbers), for tests and statuslines.
function M.ai_lines(bufnr)
  local lines = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(bufnr or 0, ns, 0, -1, {})) do lines[#lines + 1] = m[2] end
  return lines
end

-- --- commands ----------------------------------------------------------------------------------

local function server_commands(client)
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  local provider = caps.executeCommandProvider
  return provider and provider.commands or {}
end

local function execute(client, command, bufnr, on_result)
  client.request('workspace/executeCommand', command, function(err, result)
    if err then return notify(command.command .. ': ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR) end
    if on_result then on_result(result) end
    M.refresh_ai_ranges(bufnr)
  end, bufnr)
end

-- Describes a verdict or any other command result in one line.
local function describe(result)
  if type(result) ~= 'table' then return result and tostring(result) or 'done' end
  -- A verdict (vigil.validateFinding): status, validator, model, confidence, explanation.
  if result.status and result.validator then
    local text = result.status .. ' by ' .. result.validator .. (result.model and (' (' .. result.model .. ')') or '')
    if result.confidence and result.status ~= 'error' then
      text = text .. string.format(', confidence %d%%', math.floor(result.confidence * 100 + 0.5))
    end
    if result.explanation then text = text .. ': ' .. result.explanation end
    return text
  end
  -- Security tests (vigil.securityTestsWritten): where they are and how to run them.
  if result.path and result.command then
    return (result['function'] and (result['function'] .. ': ') or '') .. 'tests in ' .. vim.fn.fnamemodify(result.path, ':~:.') ..
      '; run: ' .. result.command
  end
  if result.applied ~= nil then return result.applied and 'applied' or ('not applied: ' .. (result.failureReason or '')) end
  return vim.inspect(result):gsub('%s+', ' ')
end

-- A vim diagnostic back as the server sent it. Before 0.10, user_data.lsp keeps only code, tags,
-- relatedInformation and data: the range, message, severity and source are rebuilt (columns from
-- bytes to UTF-16, the encoding these clients negotiate).
local function to_lsp_diagnostic(bufnr, d)
  local lsp = vim.deepcopy(d.user_data.lsp)
  if not lsp.range then
    local function position(row, col)
      local text = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
      local ok, _, utf16 = pcall(vim.str_utfindex, text, math.min(col, #text))
      return { line = row, character = ok and utf16 or col }
    end
    lsp.range = { start = position(d.lnum, d.col), ['end'] = position(d.end_lnum or d.lnum, d.end_col or d.col) }
  end
  lsp.message = lsp.message or d.message
  lsp.severity = lsp.severity or d.severity
  lsp.source = lsp.source or d.source
  lsp.code = lsp.code or d.code
  return lsp
end

-- Runs the server's code action at the cursor whose command or title matches `pattern` (the
-- validation and test-generation actions come from the server; their arguments are its own).
local function run_action(pattern, what)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then return notify('no Vigil server for this buffer', vim.log.levels.WARN) end
  local known = false
  for _, name in ipairs(server_commands(client)) do
    if name:lower():find(pattern) then known = true end
  end
  if not known then
    return notify('this server has no ' .. what .. ' command (executeCommandProvider lists: ' ..
      table.concat(server_commands(client), ', ') .. ')', vim.log.levels.WARN)
  end
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = line })) do
    local lsp = d.user_data and d.user_data.lsp
    if lsp and (lsp.source == 'vigil' or d.source == 'vigil') then diagnostics[#diagnostics + 1] = to_lsp_diagnostic(bufnr, d) end
  end
  if #diagnostics == 0 then return notify('no Vigil finding on this line', vim.log.levels.WARN) end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = diagnostics[1].range,
    context = { diagnostics = diagnostics },
  }
  client.request('textDocument/codeAction', params, function(err, actions)
    if err then return notify(err.message, vim.log.levels.ERROR) end
    for _, action in ipairs(actions or {}) do
      local command = action.command
      if type(command) == 'string' then command = action end  -- a bare Command
      local name = command and command.command or ''
      if name:lower():find(pattern) or (action.title or ''):lower():find(pattern) then
        if action.edit then vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16') end
        if command and command.command then
          notify(what .. '…')
          return execute(client, { command = command.command, arguments = command.arguments }, bufnr, function(result)
            M.last_result = result
            -- The generated test file is written, so that the command the server reports runs it
            -- (edits to other files stay in their buffers, unsaved, as for any code action).
            if type(result) == 'table' and result.path and result.command then
              local b = vim.fn.bufnr(result.path)
              if b > 0 and vim.api.nvim_buf_is_loaded(b) and vim.api.nvim_buf_get_option(b, 'modified') then
                vim.fn.mkdir(vim.fn.fnamemodify(result.path, ':h'), 'p')
                vim.api.nvim_buf_call(b, function() vim.cmd('silent! write') end)
              end
            end
            notify(what .. ': ' .. describe(result))
          end)
        end
        return
      end
    end
    notify('the server offered no ' .. what .. ' action here', vim.log.levels.WARN)
  end, bufnr)
end

function M.validate() run_action('validat', 'validation') end
function M.generate_tests() run_action('test', 'test generation') end

-- Marks lines [first, last] (1-based) with a provenance command (vigil.markReviewed / vigil.markAiWritten).
function M.mark(command, first, last)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then return notify('no Vigil server for this buffer', vim.log.levels.WARN) end
  local range = { start = { line = first - 1, character = 0 }, ['end'] = { line = last, character = 0 } }
  execute(client, { command = command, arguments = { { uri = vim.uri_from_bufnr(bufnr), range = range } } }, bufnr)
end

function M.fix_all()
  if vim.fn.has('nvim-0.8') == 1 then
    vim.lsp.buf.code_action({ context = { only = { 'source.fixAll.vigil' } }, apply = true })
  else
    vim.lsp.buf.code_action({ only = { 'source.fixAll.vigil' } })
  end
end

local function define_commands()
  local cmd = vim.api.nvim_create_user_command
  cmd('VigilValidate', function() M.validate() end, { desc = 'Vigil: validate the finding on this line' })
  cmd('VigilTests', function() M.generate_tests() end, { desc = 'Vigil: generate security tests for this finding' })
  cmd('VigilReviewed', function(o) M.mark('vigil.markReviewed', o.line1, o.line2) end,
    { range = true, desc = 'Vigil: mark these lines as reviewed' })
  cmd('VigilAiWritten', function(o) M.mark('vigil.markAiWritten', o.line1, o.line2) end,
    { range = true, desc = 'Vigil: treat these lines as AI-written' })
  cmd('VigilFixAll', function() M.fix_all() end, { desc = 'Vigil: apply every safe fix in this file' })
  cmd('VigilAiRanges', function()
    M.config.ai_ranges = not M.config.ai_ranges
    M.refresh_ai_ranges()
  end, { desc = 'Vigil: show or hide the AI-written line signs' })
end

-- --- the client --------------------------------------------------------------------------------

local function on_attach(client, bufnr)
  M.refresh_ai_ranges(bufnr)
  if M.config.on_attach then M.config.on_attach(client, bufnr) end
end

local function handlers()
  local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  return {
    -- New diagnostics often mean new provenance (git answered, a paste): redraw the signs.
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      publish(err, result, ctx, config)
      if result and result.uri then
        local bufnr = vim.uri_to_bufnr(result.uri)
        if vim.api.nvim_buf_is_loaded(bufnr) then M.refresh_ai_ranges(bufnr) end
      end
    end,
  }
end

-- The `vigil` settings as a JSON object (an empty Lua table would be sent as an array).
local function settings()
  return next(M.config.settings) and M.config.settings or vim.empty_dict()
end

local function client_config(root)
  return {
    name = 'vigil',
    cmd = M.config.cmd,
    root_dir = root,
    workspace_folders = root and { { uri = vim.uri_from_fname(root), name = root } } or nil,
    settings = { vigil = settings() },
    init_options = settings(),
    handlers = handlers(),
    on_attach = on_attach,
  }
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', M.config, opts or {})
  vim.api.nvim_set_hl(0, 'VigilAiRange', { default = true, link = 'DiagnosticHint' })
  define_commands()
  local group = vim.api.nvim_create_augroup('vigil', { clear = true })

  if vim.lsp.config and vim.lsp.enable then
    -- 0.11+: the same table as lsp/vigil.lua, with these options.
    vim.lsp.config('vigil', {
      cmd = M.config.cmd,
      filetypes = M.config.filetypes,
      root_markers = M.config.root_markers,
      settings = { vigil = settings() },
      init_options = settings(),
      handlers = handlers(),
      on_attach = on_attach,
    })
    vim.lsp.enable('vigil')
  else
    -- 0.7-0.10: one client per project root.
    local clients = {}
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = M.config.filetypes,
      callback = function(args)
        local name = vim.api.nvim_buf_get_name(args.buf)
        if name == '' or vim.bo[args.buf].buftype ~= '' then return end
        local root = M.find_root(name)
        local id = clients[root]
        if not id or not vim.lsp.get_client_by_id(id) then
          if vim.fn.executable(M.config.cmd[1]) ~= 1 then
            return notify('`' .. M.config.cmd[1] .. '` not found: build it (./scripts/build --target vigil) and put ' ..
              'build/cli/vigil on your PATH, or pass cmd = { "/path/to/vigil", "lsp" } to setup{}', vim.log.levels.ERROR)
          end
          id = vim.lsp.start_client(client_config(root))
          clients[root] = id
        end
        if id then vim.lsp.buf_attach_client(args.buf, id) end
      end,
    })
  end
  vim.api.nvim_create_autocmd('BufEnter', {
    group = group,
    callback = function(args) if M.client(args.buf) then M.refresh_ai_ranges(args.buf) end end,
  })
end

return M
