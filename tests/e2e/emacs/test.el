;;; test.el --- End-to-end: Vigil in Emacs 28 + Eglot (Debian's emacs-nox, elpa-eglot), batch mode  -*- lexical-binding: t; -*-
;; Run by run.sh: emacs --batch -q (Debian's site-start puts elpa-eglot on the load path) -l eglot -l editors/emacs/vigil.el -l tests/e2e/emacs/test.el
;; Env: VIGIL_BIN, VIGIL_E2E_PROJECT (a git repository holding app.py with `verify=False' and `eval').
;; Checks, through the user's path (vigil-setup, then python-mode's eglot-ensure hook): Flymake shows
;; Vigil's findings; hover names the rule and its CWE; the quick-fix picked through `eglot-code-actions' rewrites the buffer and the
;; finding goes; the server stops on `eglot-shutdown'.

(require 'cl-lib)
(require 'flymake)

(defun vigil-test-fail (fmt &rest args)
  (princ (format "[emacs-e2e] FAIL: %s\n" (apply #'format fmt args)) #'external-debugging-output)
  (kill-emacs 1))

(defun vigil-test-say (fmt &rest args)
  (princ (format "[emacs-e2e] %s\n" (apply #'format fmt args)) #'external-debugging-output))

(defun vigil-test-wait (what pred &optional timeout)
  (let ((deadline (+ (float-time) (or timeout 20))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (unless (funcall pred) (vigil-test-fail "timed out waiting for %s" what))))

(defun vigil-test-findings (rule)
  (cl-remove-if-not (lambda (d) (string-match-p (regexp-quote rule) (flymake-diagnostic-text d)))
                    (flymake-diagnostics)))

(condition-case err
    (let* ((project (getenv "VIGIL_E2E_PROJECT"))
           (file (expand-file-name "app.py" project)))
      (setq vigil-server-command (list (getenv "VIGIL_BIN") "lsp"))
      (setq eglot-sync-connect 10)
      (vigil-setup)
      (find-file file)
      (python-mode)
      ;; eglot-ensure connects from post-command-hook, after the command that opened the file.
      (run-hooks 'post-command-hook)
      (vigil-test-wait "Eglot to connect" (lambda () (eglot-current-server)))
      (let ((server (eglot-current-server)))
        (unless (string-match-p "vigil" (format "%s" (process-command (jsonrpc--process server))))
          (vigil-test-fail "the server is not Vigil: %S" (process-command (jsonrpc--process server))))
        (unless (equal (file-name-as-directory (expand-file-name (project-root (eglot--project server))))
                       (file-name-as-directory (expand-file-name project)))
          (vigil-test-fail "project root %s, want %s" (project-root (eglot--project server)) project))
        (vigil-test-say "connected: %S, root %s" (process-command (jsonrpc--process server))
                        (project-root (eglot--project server))))
      (flymake-start)
      (vigil-test-wait "Flymake diagnostics from Vigil"
                       (lambda () (and (vigil-test-findings "py-tls-verify-disabled") (vigil-test-findings "py-eval-injection"))))
      (vigil-test-say "Flymake: %s" (mapconcat #'flymake-diagnostic-text (flymake-diagnostics) " | "))

      ;; Hover on the eval finding (what `eldoc' shows): the rule and its CWE.
      (let* ((diag (car (vigil-test-findings "py-eval-injection")))
             (hover (progn (goto-char (flymake-diagnostic-beg diag))
                           (jsonrpc-request (eglot-current-server) :textDocument/hover
                                            (eglot--TextDocumentPositionParams))))
             (text (format "%s" (plist-get (plist-get hover :contents) :value))))
        (unless (and (string-match-p "py-eval-injection" text) (string-match-p "CWE" text))
          (vigil-test-fail "hover lacks the rule or its CWE: %S" hover))
        (vigil-test-say "hover: %s" (car (split-string text "\n"))))
      ;; The quick-fix, chosen in Eglot's code action menu.
      (let* ((diag (car (vigil-test-findings "py-tls-verify-disabled")))
             (title "Replace `False` with `True`"))
        (goto-char (flymake-diagnostic-beg diag))
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (_prompt collection &rest _)
                     (or (cl-some (lambda (c) (let ((s (if (consp c) (car c) c))) (and (string-prefix-p title s) s)))
                                  collection)
                         (vigil-test-fail "no quick-fix titled %s among %S" title collection)))))
          ;; A keyboard event (RET), so Eglot asks with completing-read rather than a mouse menu.
          (let ((last-nonmenu-event 13))
            (eglot-code-actions (flymake-diagnostic-beg diag) (flymake-diagnostic-end diag) nil t))))
      (vigil-test-wait "verify=True in the buffer"
                       (lambda () (save-excursion (goto-char (point-min)) (search-forward "verify=True" nil t))))
      ;; Batch Emacs never goes idle, so Eglot's idle timer does not send the change and Flymake's
      ;; does not re-run: do both, as an interactive Emacs would after half a second.
      (eglot--signal-textDocument/didChange)
      (vigil-test-wait "the TLS finding to go"
                       (lambda () (flymake-start) (null (vigil-test-findings "py-tls-verify-disabled"))))
      (vigil-test-say "quick-fix applied: %s"
                      (save-excursion (goto-char (point-min)) (search-forward "verify=True")
                                      (string-trim (thing-at-point 'line t))))
      (let ((proc (jsonrpc--process (eglot-current-server))))
        (eglot-shutdown (eglot-current-server))
        ;; (jsonrpc 1.0 deletes the process right after `exit', so its status is not the server's.)
        (vigil-test-wait "the server to exit" (lambda () (not (process-live-p proc)))))
      (vigil-test-say "PASS")
      (kill-emacs 0))
  (error (vigil-test-fail "error: %S" err)))
