;;; vigil.el --- Vigil security checks in Emacs through Eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools

;;; Commentary:

;; Vigil is a language server that checks code written by AI assistants.  This file registers
;; `vigil lsp' with Eglot for the classic and the tree-sitter major modes, passes Vigil's settings
;; through `eglot-workspace-configuration', and adds a few commands:
;;
;;   (require 'vigil)
;;   (vigil-setup)                      ; register the server; `eglot-ensure' in the modes below
;;
;;   M-x vigil-fix-all                  every safe fix in the buffer (source.fixAll.vigil)
;;   M-x vigil-validate                 secondary validation of the finding at point
;;   M-x vigil-generate-tests           security tests for the finding at point
;;   M-x vigil-mark-reviewed            mark the region (or line) as reviewed
;;   M-x vigil-mark-ai-written          treat the region (or line) as AI-written
;;
;; Eglot runs one server per buffer: in these modes Vigil takes the place of another server
;; (pyright, gopls...).  See editors/emacs/README.md.

;;; Code:

(require 'eglot)
(require 'cl-lib)

(defgroup vigil nil
  "Vigil security checks through Eglot."
  :group 'tools
  :prefix "vigil-")

(defcustom vigil-server-command '("vigil" "lsp")
  "The command that starts Vigil's language server."
  :type '(repeat string))

(defcustom vigil-settings nil
  "Vigil's settings (the `vigil' section), as a plist.
For example (:scope \"all\" :showHumanFindings t).  Unset keys come from the
project's .vigil/config.yaml."
  :type 'plist)

(defcustom vigil-major-modes
  '(python-mode python-ts-mode js-mode js-ts-mode js2-mode typescript-mode typescript-ts-mode tsx-ts-mode
    go-mode go-ts-mode java-mode java-ts-mode c-mode c-ts-mode c++-mode c++-ts-mode)
  "Major modes in which `vigil-setup' starts Vigil through `eglot-ensure'."
  :type '(repeat symbol))

(defun vigil--workspace-configuration (_server)
  "The `vigil' section for `eglot-workspace-configuration'."
  (list :vigil (or vigil-settings (make-hash-table))))

;;;###autoload
(defun vigil-setup ()
  "Register Vigil with Eglot for `vigil-major-modes' and start it in those buffers."
  (interactive)
  (add-to-list 'eglot-server-programs (cons vigil-major-modes vigil-server-command))
  (unless (functionp (default-value 'eglot-workspace-configuration))
    (setq-default eglot-workspace-configuration #'vigil--workspace-configuration))
  (dolist (mode vigil-major-modes)
    (add-hook (intern (format "%s-hook" mode)) #'eglot-ensure)))

(defun vigil--server ()
  (or (eglot-current-server) (user-error "Vigil: no Eglot server in this buffer")))

(defun vigil--commands (server)
  "The commands SERVER lists in executeCommandProvider."
  (append (plist-get (plist-get (eglot--capabilities server) :executeCommandProvider) :commands) nil))

(defun vigil--line-region ()
  (if (use-region-p) (list (region-beginning) (region-end)) (list (line-beginning-position) (line-end-position))))

(defun vigil--describe (result)
  "One line for a command RESULT (a validation verdict or anything else)."
  (let ((verdict (or (plist-get result :verdict) (plist-get (plist-get result :result) :verdict))))
    (cond ((stringp verdict)
           (format "%s%s" verdict (if (plist-get result :explanation) (concat ": " (plist-get result :explanation)) "")))
          ((consp verdict) (vigil--describe verdict))
          (t (format "%S" result)))))

(defun vigil--run-action (pattern what)
  "Run the server's code action at point whose command or title matches PATTERN."
  (let* ((server (vigil--server))
         (case-fold-search t))
    (unless (cl-some (lambda (c) (string-match-p pattern c)) (vigil--commands server))
      (user-error "Vigil: this server has no %s command (it offers %s)" what
                  (mapconcat #'identity (vigil--commands server) ", ")))
    (let* ((bounds (vigil--line-region))
           (actions (eglot-code-actions (car bounds) (cadr bounds)))
           (action (cl-find-if (lambda (a)
                                 (let ((command (plist-get a :command)))
                                   (or (string-match-p pattern (or (plist-get a :title) ""))
                                       (string-match-p pattern (if (stringp command) command
                                                                 (or (plist-get command :command) ""))))))
                               actions)))
      (unless action (user-error "Vigil: no %s action here" what))
      (let* ((command (plist-get action :command))
             (command (if (stringp command) action command)))
        (when (plist-get action :edit) (eglot--apply-workspace-edit (plist-get action :edit)))
        (when command
          (let ((result (jsonrpc-request server :workspace/executeCommand
                                         (list :command (plist-get command :command)
                                               :arguments (plist-get command :arguments)))))
            (message "Vigil %s: %s" what (vigil--describe result))
            result))))))

;;;###autoload
(defun vigil-validate ()
  "Ask Vigil's validator about the finding at point."
  (interactive)
  (vigil--run-action "validat" "validation"))

;;;###autoload
(defun vigil-generate-tests ()
  "Generate security tests for the finding at point."
  (interactive)
  (vigil--run-action "test" "test generation"))

(defun vigil--mark (command beg end)
  (jsonrpc-request (vigil--server) :workspace/executeCommand
                   (list :command command
                         :arguments (vector (list :uri (eglot--path-to-uri (buffer-file-name))
                                                  :range (list :start (eglot--pos-to-lsp-position beg)
                                                               :end (eglot--pos-to-lsp-position end)))))))

;;;###autoload
(defun vigil-mark-reviewed (beg end)
  "Mark the region (or the current line) as reviewed: its findings count as human code."
  (interactive (vigil--line-region))
  (vigil--mark "vigil.markReviewed" beg end))

;;;###autoload
(defun vigil-mark-ai-written (beg end)
  "Treat the region (or the current line) as AI-written."
  (interactive (vigil--line-region))
  (vigil--mark "vigil.markAiWritten" beg end))

;;;###autoload
(defun vigil-fix-all ()
  "Apply every safe Vigil fix in the buffer (the code action source.fixAll.vigil)."
  (interactive)
  (eglot-code-actions (point-min) (point-max) "source.fixAll.vigil" t))

(provide 'vigil)
;;; vigil.el ends here
