-- Drives Neovim's built-in LSP client against `multirun server` (run by tests/editor_neovim.rs):
-- opens each spec, waits for its diagnostics, applies the quick fix for the weight sum, and
-- writes what it saw as JSON to $MULTIRUN_NVIM_REPORT. The Rust test asserts on the report.
--
-- It starts the server the way the README says for the Neovim at hand: `vim.lsp.config` and
-- `vim.lsp.enable` (0.11+), `vim.lsp.start` (0.8+), or `vim.lsp.start_client` (Debian
-- bookworm's 0.7).

local bin = assert(os.getenv('MULTIRUN_BIN'))
local specs = vim.split(assert(os.getenv('MULTIRUN_SPECS')), ':')
local report_path = assert(os.getenv('MULTIRUN_NVIM_REPORT'))
local report = { client = '', files = {}, fix = {} }

local function attach(bufnr)
  if vim.lsp.config and vim.lsp.enable then
    report.client = 'vim.lsp.config'
    vim.lsp.config('multirun', {
      cmd = { bin, 'server' },
      filetypes = { 'yaml' },
      root_markers = { '.git' },
    })
    vim.lsp.enable('multirun')
    -- `enable` attaches on FileType; the buffer is already open, so run it again.
    vim.api.nvim_exec_autocmds('FileType', { buffer = bufnr })
  elseif vim.lsp.start then
    report.client = 'vim.lsp.start'
    vim.lsp.start({ name = 'multirun', cmd = { bin, 'server' } }, { bufnr = bufnr })
  else
    report.client = 'vim.lsp.start_client'
    local id = vim.lsp.start_client({ name = 'multirun', cmd = { bin, 'server' } })
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

local function diagnostics(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, { code = d.code, lnum = d.lnum, col = d.col, severity = d.severity })
  end
  table.sort(out, function(a, b) return a.lnum < b.lnum end)
  return out
end

local function client_of(bufnr)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.lsp.buf_get_clients(bufnr)
  for _, c in pairs(clients) do return c end
end

vim.cmd('filetype on')
for _, path in ipairs(specs) do
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'yaml'
  if not client_of(bufnr) then attach(bufnr) end
  vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  table.insert(report.files, { path = path, diagnostics = diagnostics(bufnr) })

  -- The weight-sum file: apply the quick fix for MR103 and wait for the finding to go.
  local weight = nil
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'MR103' then weight = d end
  end
  if weight then
    local client = client_of(bufnr)
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = {
        start = { line = weight.lnum, character = weight.col },
        ['end'] = { line = weight.lnum, character = weight.col },
      },
      context = { diagnostics = {} },
    }
    local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000) or {}
    for _, response in pairs(responses) do
      for _, action in ipairs(response.result or {}) do
        if action.kind == 'quickfix' and action.title:find('MR103', 1, true) then
          report.fix.title = action.title
          vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
        end
      end
    end
    vim.wait(15000, function()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        if d.code == 'MR103' then return false end
      end
      return true
    end, 20)
    report.fix.line = vim.api.nvim_buf_get_lines(bufnr, weight.lnum, weight.lnum + 1, false)[1]
    report.fix.after = diagnostics(bufnr)
  end
end

local file = assert(io.open(report_path, 'w'))
file:write(vim.fn.json_encode(report))
file:close()
vim.cmd('qa!')
