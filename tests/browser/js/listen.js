() => {
  const kernel = __rc.kernel();
  __rc.iopub = {errors: [], inputs: {}, commIdle: 0, commIdleAt: 0, commSent: 0};
  if (!kernel) return false;
  kernel.anyMessage.connect((_, {msg, direction}) => {
    // a message from a widget of the page to the kernel (a new value, a click)
    if (direction === 'send' && msg.header.msg_type === 'comm_msg') __rc.iopub.commSent += 1;
  });
  const strip = (s) => String(s).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  kernel.iopubMessage.connect((_, msg) => {
    const type = msg.header.msg_type;
    const parent = msg.parent_header || {};
    if (type === 'execute_input') __rc.iopub.inputs[parent.msg_id] = msg.content.execution_count;
    if (type === 'status' && msg.content.execution_state === 'idle' && parent.msg_type === 'comm_msg') {
      __rc.iopub.commIdle += 1;  // the kernel has handled a message from a widget
      __rc.iopub.commIdleAt = performance.now();
    }
    if (type === 'error') {
      __rc.iopub.errors.push({
        parent: parent.msg_type || '', id: parent.msg_id || '',
        text: strip((msg.content.traceback || []).join('\n')
                    || (msg.content.ename + ': ' + msg.content.evalue)),
      });
    }
  });
  return true;
}
