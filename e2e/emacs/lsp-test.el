;;; lsp-test.el --- Emacs + Eglot as a third LSP client of the standalone server  -*- lexical-binding: t -*-
;;
;; Headless Emacs (Debian's emacs-nox 28 and elpa-eglot 1.9) runs `bin/smtptls-language-server --stdio`
;; through Eglot, configured as the README says, and checks what an Emacs user gets: Flymake
;; diagnostics on the exact bytes, incremental edits sent by Eglot's own change tracking, the hover
;; text ElDoc shows, a quick fix applied through Eglot's workspace-edit code, Imenu's outline, and AUTH
;; credentials masked in what the user sees. No fixed sleeps: every wait is on a condition, with a
;; timeout that fails the check. Prints `ok - ...`/`not ok - ...` and `N passed, N failed`; exits 1 on
;; any failure.
;;
;; Usage (see run.sh): emacs --batch -Q -l e2e/emacs/lsp-test.el
;; Env: README_CONFIG (the README's elisp block, path filled in; else LSP_CMD, the server command line),
;; LSP_WS (folder holding the sample copies), EGLOT_DIR (eglot.el's folder)

(require 'cl-lib)
(add-to-list 'load-path (or (getenv "EGLOT_DIR") "/usr/share/emacs/site-lisp/elpa-src/eglot-1.9"))
(require 'eglot)
(require 'flymake)
(require 'imenu)

(defvar smtptls-test-passed 0)
(defvar smtptls-test-failed 0)
(defconst smtptls-test-timeout 15)
(defconst smtptls-test-ws (file-name-as-directory (or (getenv "LSP_WS") "samples")))

(defun smtptls-test-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun smtptls-test-check (name ok &optional detail)
  (if ok
      (progn (cl-incf smtptls-test-passed) (smtptls-test-out "ok - %s" name))
    (cl-incf smtptls-test-failed)
    (smtptls-test-out "not ok - %s%s" name (if detail (format " -- %s" detail) ""))))

(defun smtptls-test-finish ()
  (smtptls-test-out "%d passed, %d failed" smtptls-test-passed smtptls-test-failed)
  (kill-emacs (if (> smtptls-test-failed 0) 1 0)))

(defun smtptls-test-wait (pred)
  "Run the event loop until PRED holds or the timeout passes; PRED's last value."
  (let ((deadline (+ (float-time) smtptls-test-timeout)) (v nil))
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    v))

;; The README's configuration, as a user copies it (run.sh extracts its elisp block with the path
;; filled in): a major mode for transcripts, the server for it, the settings.
(if (getenv "README_CONFIG")
    (load (getenv "README_CONFIG") nil t)
  (define-derived-mode smtp-transcript-mode fundamental-mode "SMTP-Transcript")
  (add-to-list 'auto-mode-alist '("\\.transcript\\'" . smtp-transcript-mode))
  (add-to-list 'eglot-server-programs
               `(smtp-transcript-mode . ,(split-string (or (getenv "LSP_CMD") "bin/smtptls-language-server --stdio")))))
(setq eglot-sync-connect t)

(defun smtptls-test-open (name)
  "Visit NAME in the workspace and attach Eglot (the first call starts the server)."
  (find-file (expand-file-name name smtptls-test-ws))
  (if (eglot-current-server)
      (eglot--maybe-activate-editing-mode)
    (apply #'eglot (eglot--guess-contact)))
  (flymake-mode 1)
  (current-buffer))

(defun smtptls-test-code (d)
  "The rule id of Flymake diagnostic D (Eglot keeps the LSP diagnostic in its data)."
  (let ((lsp (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d)))))
    (and lsp (format "%s" (plist-get lsp :code)))))

(defun smtptls-test-diags ()
  (flymake-diagnostics (point-min) (point-max)))

(defun smtptls-test-find (diags code)
  (cl-find-if (lambda (d) (equal (smtptls-test-code d) code)) diags))

(defun smtptls-test-rule-set (diags)
  (mapconcat #'identity (sort (delete-dups (mapcar #'smtptls-test-code diags)) #'string<) ","))

(defun smtptls-test-expected-rules ()
  "The rule ids the sample's `# expected rules:' header states, sorted and comma-joined."
  (save-excursion
    (goto-char (point-min))
    (if (not (re-search-forward "^# expected rules:\\(.*\\)$" nil t))
        ""
      (let ((list (string-trim (replace-regexp-in-string "([^)]*)" "" (match-string 1)))))
        (if (equal list "none") ""
          (mapconcat #'identity (sort (mapcar #'string-trim (split-string list "," t)) #'string<) ","))))))

(defun smtptls-test-show (diags)
  (mapconcat (lambda (d) (format "%s %s %d-%d %S" (smtptls-test-code d) (flymake-diagnostic-type d)
                                 (flymake-diagnostic-beg d) (flymake-diagnostic-end d)
                                 (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d))))
             diags "; "))

(defun smtptls-test-line-start (prefix)
  "Buffer position of the first line starting with PREFIX."
  (save-excursion
    (goto-char (point-min))
    (and (search-forward-regexp (concat "^" (regexp-quote prefix)) nil t) (line-beginning-position))))

;; Every publishDiagnostics the server sends, as (URI . VERSION), newest first.
(defvar smtptls-test-publications nil)
(cl-defmethod eglot-handle-notification :before
  (_server (_method (eql textDocument/publishDiagnostics)) &key uri version &allow-other-keys)
  (push (cons uri version) smtptls-test-publications))

(defun smtptls-test-edit (beg end text)
  "Replace BEG..END by TEXT as typed, then send the change as Eglot does once Emacs is idle.
Batch Emacs is never idle, so the idle timer that calls `eglot--signal-textDocument/didChange'
never fires: the test calls it. Returns the document version the change made."
  (goto-char beg)
  (delete-region beg end)
  (insert text)
  (eglot--signal-textDocument/didChange)
  eglot--versioned-identifier)

(defun smtptls-test-wait-published (version pred)
  "The diagnostics once the server has published for VERSION (or later) and PRED holds for them.
Flymake drops a diagnostic whose text is deleted at once, before the server answers: waiting for
the publication keeps such a local change from passing for the server's."
  (let ((uri (eglot--path-to-uri (buffer-file-name))))
    (smtptls-test-wait
     (lambda ()
       (and (cl-some (lambda (p) (and (equal (car p) uri) (numberp (cdr p)) (>= (cdr p) version))) smtptls-test-publications)
            (let ((x (smtptls-test-diags))) (and (funcall pred x) (or x t))))))))

(defun smtptls-test-hover (pos)
  "What ElDoc would show at POS: Eglot's hover function, called as ElDoc calls it."
  (let ((got nil) (done nil))
    (save-excursion
      (goto-char pos)
      (eglot-hover-eldoc-function (lambda (info &rest _) (setq got info done t))))
    (smtptls-test-wait (lambda () done))
    got))

(condition-case err
    (progn
      ;; 1. SSL 3.0 hello: the error sits on client_version 03 00 (not the record version), the rule
      ;;    ids are those the sample's header states.
      (with-current-buffer (smtptls-test-open "ssl3-hello.transcript")
        (smtptls-test-check "server starts and Eglot connects" (eglot-current-server))
        (let* ((want (smtptls-test-expected-rules))
               (line (smtptls-test-line-start "C: 16 03 00 00 33 01 00 00 2f 03 00 "))
               (d (smtptls-test-wait (lambda () (let ((x (smtptls-test-diags))) (and (smtptls-test-find x "tls-alert") x)))))
               (v (smtptls-test-find d "tls-hello-version-below-3.1")))
          (smtptls-test-check (format "ssl3-hello: Flymake shows the rule ids the header states (%s)" want)
                              (equal (smtptls-test-rule-set d) want) (smtptls-test-show d))
          (smtptls-test-check "ssl3-hello: an error exactly on client_version \"03 00\" (characters 30-35 of its line)"
                              (and v (eq (flymake-diagnostic-type v) 'eglot-error)
                                   (= (flymake-diagnostic-beg v) (+ line 30)) (= (flymake-diagnostic-end v) (+ line 35))
                                   (equal (buffer-substring-no-properties (flymake-diagnostic-beg v) (flymake-diagnostic-end v)) "03 00"))
                              (smtptls-test-show d))
          (smtptls-test-check "ssl3-hello: the message names the version and RFC 7568"
                              (and v (string-match-p "SSL 3\\.0 (0x0300).*RFC 7568" (flymake-diagnostic-text v)))
                              (and v (flymake-diagnostic-text v)))

          ;; 2. Hover, as ElDoc shows it: "00 2f" on "C: 00 2f 00 0a ..." is cipher_suites[1].
          (let* ((sl (smtptls-test-line-start "C: 00 2f 00 0a 00 ff 01 00"))
                 (h (and sl (smtptls-test-hover (+ sl 7)))))
            (when (getenv "SMTPTLS_SHOW_HOVER") (smtptls-test-out "# hover:\n%s" h))
            (smtptls-test-check "ssl3-hello: the hover on a cipher-suite byte names TLS_RSA_WITH_AES_128_CBC_SHA and the field path"
                                (and (stringp h) (string-match-p "TLS_RSA_WITH_AES_128_CBC_SHA" h)
                                     (string-match-p (regexp-quote "Record › Handshake › ClientHello › cipher_suites[1]") h))
                                (format "%S" h))
            ;; Eglot without markdown-mode asks for plain text (hover.contentFormat ["plaintext"]).
            (smtptls-test-check "ssl3-hello: the hover is plain text, as Eglot asked: aligned rows, no Markdown tables, stars or escapes"
                                (and (stringp h) (string-match-p "^IANA name +TLS_RSA_WITH_AES_128_CBC_SHA (IANA registered)$" h)
                                     (not (string-match-p "^|\\|\\*\\*\\|\\\\_" h)))
                                (format "%S" h)))

          ;; 3. Edits typed in Emacs reach the server as Eglot's incremental changes: 03 00 -> 03 01
          ;;    clears the error; back to 03 00 brings it back on the same bytes.
          (let* ((version (smtptls-test-edit (+ line 30) (+ line 35) "03 01"))
                 (d2 (smtptls-test-wait-published version (lambda (x) (and (smtptls-test-find x "tls-alert") (not (smtptls-test-find x "tls-hello-version-below-3.1")))))))
            (smtptls-test-check (format "ssl3-hello edited to 03 01: the server publishes version %d without tls-hello-version-below-3.1, tls-alert kept" version)
                                d2 (smtptls-test-show (smtptls-test-diags))))
          (let* ((version (smtptls-test-edit (+ line 30) (+ line 35) "03 00"))
                 (d3 (smtptls-test-wait-published version (lambda (x) (smtptls-test-find x "tls-hello-version-below-3.1"))))
                 (v3 (and (consp d3) (smtptls-test-find d3 "tls-hello-version-below-3.1"))))
            (smtptls-test-check "ssl3-hello edited back: the error returns on the same bytes"
                                (and v3 (= (flymake-diagnostic-beg v3) (+ line 30)) (= (flymake-diagnostic-end v3) (+ line 35)))
                                (smtptls-test-show (smtptls-test-diags))))

          ;; Deleting "03 00" and typing it again before Emacs is idle: one didChange with two changes,
          ;; and the same text as before. Flymake dropped the error with its text; the findings are
          ;; the ones last published, but the edited line carries one, so the server must publish again.
          (let* ((dropped (progn (goto-char (+ line 30)) (delete-region (point) (+ (point) 5))
                                 (not (smtptls-test-find (smtptls-test-diags) "tls-hello-version-below-3.1"))))
                 (version (progn (insert "03 00") (eglot--signal-textDocument/didChange) eglot--versioned-identifier))
                 (d4 (smtptls-test-wait-published version (lambda (x) (smtptls-test-find x "tls-hello-version-below-3.1")))))
            (smtptls-test-check "ssl3-hello: bytes deleted and typed again (same findings): Flymake had dropped the error, the server publishes it again"
                                (and dropped (consp d4)) (format "dropped locally %s; %s" dropped (smtptls-test-show (smtptls-test-diags)))))

          ;; 4. A quick fix through Eglot's own code: the suppress action inserts its directive above
          ;;    the dump line, and the error goes away.
          (let* ((v4 (smtptls-test-find (smtptls-test-diags) "tls-hello-version-below-3.1"))
                 (actions (and v4 (eglot-code-actions (flymake-diagnostic-beg v4) (flymake-diagnostic-end v4))))
                 (titles (mapcar (lambda (a) (plist-get a :title)) actions))
                 (suppress (cl-find-if (lambda (a) (string-prefix-p "Suppress tls-hello-version-below-3.1" (plist-get a :title))) actions)))
            (smtptls-test-check "ssl3-hello: code actions on the error offer the decoded summary and the suppression"
                                (and suppress (cl-some (lambda (tt) (string-prefix-p "Annotate with decoded summary" tt)) titles))
                                (format "%S" titles))
            (when suppress
              (eglot--apply-workspace-edit (plist-get suppress :edit))
              (eglot--signal-textDocument/didChange)
              (let ((d5 (smtptls-test-wait-published eglot--versioned-identifier
                                                     (lambda (x) (and (smtptls-test-find x "tls-alert") (not (smtptls-test-find x "tls-hello-version-below-3.1")))))))
                (smtptls-test-check "ssl3-hello: after the suppression, a `# smtptls-disable-next-line` line precedes the dump line and the error is gone"
                                    (and d5 (save-excursion
                                              (goto-char (smtptls-test-line-start "C: 16 03 00 00 33 01 00 00 2f 03 00 "))
                                              (forward-line -1)
                                              (looking-at "# smtptls-disable-next-line tls-hello-version-below-3\\.1 -- ")))
                                    (smtptls-test-show (smtptls-test-diags))))))

          ;; 5. Imenu, which Eglot fills from documentSymbol: the session and its ClientHello.
          (let* ((index (eglot-imenu))
                 (flat (let ((acc nil))
                         (cl-labels ((walk (xs) (dolist (x xs)
                                                  (push (car x) acc)
                                                  (when (imenu--subalist-p x) (walk (cdr x))))))
                           (walk index))
                         acc)))
            (smtptls-test-check "ssl3-hello: Imenu lists the TLS handshake's ClientHello"
                                (cl-some (lambda (n) (string-match-p "ClientHello" n)) flat) (format "%S" flat)))
          (set-buffer-modified-p nil)))

      ;; 6. AUTH PLAIN before STARTTLS, crafted: "AHVzZXIAc2VjcmV0LXBhc3N3b3Jk" is base64 of
      ;;    NUL "user" NUL "secret-password". The error is shown, the password never is.
      (let ((file (expand-file-name "auth-plain.transcript" smtptls-test-ws)))
        (with-temp-file file
          (insert "S: 220 mx.example.test ESMTP\nC: EHLO client.example.test\nS: 250-mx.example.test\nS: 250-AUTH PLAIN\nS: 250 STARTTLS\n"
                  "C: AUTH PLAIN AHVzZXIAc2VjcmV0LXBhc3N3b3Jk\nS: 235 2.7.0 Authentication successful\nC: QUIT\nS: 221 2.0.0 Bye\n"))
        (with-current-buffer (smtptls-test-open "auth-plain.transcript")
          (let* ((d (smtptls-test-wait (lambda () (let ((x (smtptls-test-diags))) (and (smtptls-test-find x "auth-before-tls") x)))))
                 (a (smtptls-test-find d "auth-before-tls"))
                 (texts (mapconcat #'flymake-diagnostic-text d "\n"))
                 (h (smtptls-test-hover (+ (smtptls-test-line-start "C: AUTH PLAIN ") 16))))
            (when (getenv "SMTPTLS_SHOW_HOVER") (smtptls-test-out "# hover:\n%s" h))
            (smtptls-test-check "auth-plain: auth-before-tls is an error" (and a (eq (flymake-diagnostic-type a) 'eglot-error)) (smtptls-test-show d))
            (smtptls-test-check "auth-plain: no diagnostic text carries the password or its base64"
                                (and d (not (string-match-p "secret-password\\|AHVzZXIAc2VjcmV0LXBhc3N3b3Jk" texts))) texts)
            (smtptls-test-check "auth-plain: the hover on the payload shows it masked"
                                (and (stringp h) (string-match-p "^AUTH credentials (base64, masked here)" h)
                                     (not (string-match-p "secret-password\\|AHVzZXIAc2VjcmV0LXBhc3N3b3Jk" h)))
                                (format "%S" h)))))

      ;; 7. Settings the README's way: `eglot-workspace-configuration', answered when the server asks
      ;;    (workspace/configuration) after Eglot signals a change. The rfc3207 baseline turns the
      ;;    SSLv2-compatible hello offering TLS 1.0 from a warning into information.
      (with-current-buffer (smtptls-test-open "sslv2-hello-tls10.transcript")
        (let* ((type (lambda () (let ((c (smtptls-test-find (smtptls-test-diags) "tls-sslv2-compat-hello"))) (and c (flymake-diagnostic-type c)))))
               (before (smtptls-test-wait (lambda () (funcall type)))))
          (smtptls-test-check "sslv2-hello-tls10: tls-sslv2-compat-hello is a warning by default" (eq before 'eglot-warning) (format "%S" before))
          (setq-default eglot-workspace-configuration '(:smtpTls (:baseline "rfc3207")))
          (eglot-signal-didChangeConfiguration (eglot-current-server))
          (let ((after (smtptls-test-wait (lambda () (eq (funcall type) 'eglot-note)))))
            (smtptls-test-check "sslv2-hello-tls10: with eglot-workspace-configuration (:smtpTls (:baseline \"rfc3207\")) it is information"
                                after (smtptls-test-show (smtptls-test-diags))))))

      (let ((server (eglot-current-server)))
        (when server (eglot-shutdown server)))
      (smtptls-test-finish))
  (error
   (smtptls-test-check "no Lisp error" nil (format "%S" err))
   (smtptls-test-finish)))
