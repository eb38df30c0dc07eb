-- Vigil's server definition in nvim-lspconfig's format (Neovim 0.11+: a file `lsp/vigil.lua` on
-- the runtimepath, read by vim.lsp.config). Copy it into your config's `lsp/` directory, or
-- propose it to nvim-lspconfig as is. `require('vigil').setup{}` uses the same table.
return {
  cmd = { 'vigil', 'lsp' },
  filetypes = { 'python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go', 'java', 'c', 'cpp', 'yaml' },
  -- The project root, as lspconfig finds it: the nearest directory holding .vigil or .git.
  root_markers = { '.vigil', '.git' },
  -- Vigil's settings (section `vigil`), e.g. { scope = 'all' }; .vigil/config.yaml is read too.
  settings = { vigil = {} },
}
