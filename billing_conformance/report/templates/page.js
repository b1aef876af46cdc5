(function(){
  const byId=function(id){return document.getElementById(id);};
  const outcome=byId('outcome-filter'),verdict=byId('verdict-filter'),severity=byId('severity-filter'),
        tag=byId('tag-filter'),search=byId('search'),differs=byId('only-differences'),count=byId('visible-count');
  function has(list,value){return list.split(' ').indexOf(value)>=0;}
  function apply(){
    const o=outcome.value,v=verdict.value,s=severity.value,t=tag.value,
          q=search.value.trim().toLowerCase(),d=differs.checked;
    const scenarioFilter=o||s||t;let rules=0;
    document.querySelectorAll('article.rule').forEach(function(rule){
      const ruleText=rule.dataset.text;
      const ruleOk=(!v||has(rule.dataset.verdicts,v))&&(!d||rule.dataset.differs==='yes');
      let shown=0;
      rule.querySelectorAll('.scenario').forEach(function(run){
        const ok=ruleOk&&(!o||has(run.dataset.outcomes,o))
          &&(!s||run.dataset.severity===s)&&(!t||has(run.dataset.tags,t))
          &&(!q||run.dataset.text.indexOf(q)>=0||ruleText.indexOf(q)>=0);
        run.classList.toggle('hidden',!ok);if(ok)shown++;
        rule.querySelectorAll('tr.example-row[data-run="'+run.id+'"]').forEach(function(tr){tr.classList.toggle('hidden',!ok);});
      });
      rule.querySelectorAll('.scenario-entry').forEach(function(entry){
        entry.classList.toggle('hidden',entry.querySelectorAll('.scenario:not(.hidden)').length===0);});
      const bare=rule.querySelectorAll('.scenario').length===0&&ruleOk&&!scenarioFilter&&(!q||ruleText.indexOf(q)>=0);
      const visible=shown>0||bare;
      rule.classList.toggle('hidden',!visible);if(visible)rules++;
      const row=document.querySelector('#matrix tr[data-rule="'+rule.dataset.rule+'"]');
      if(row)row.classList.toggle('hidden',!visible);
    });
    document.querySelectorAll('section.feature').forEach(function(f){
      const any=f.querySelectorAll('article.rule').length;
      f.classList.toggle('hidden',any>0&&f.querySelectorAll('article.rule:not(.hidden)').length===0);});
    count.textContent=rules+' rules shown';}
  [outcome,verdict,severity,tag,differs].forEach(function(e){e.addEventListener('change',apply);});
  search.addEventListener('input',apply);
  document.querySelectorAll('button.copy').forEach(function(b){b.addEventListener('click',function(){
    const text=b.previousElementSibling.textContent;if(navigator.clipboard){navigator.clipboard.writeText(text);}
    b.textContent='copied';});});
  apply();
})();
